import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseImage } from '../src/compiler/image.js';

test('image references split into repository, tag and digest', () => {
  assert.equal(parseImage('tensorflow/serving:2.20.0-gpu'), { repository: 'tensorflow/serving', tag: '2.20.0-gpu' });
  assert.equal(parseImage('tensorflow/serving'), { repository: 'tensorflow/serving' });
  assert.equal(parseImage('registry.local:5000/ml/serving'), { repository: 'registry.local:5000/ml/serving' });
  assert.equal(parseImage('registry.local:5000/ml/serving:2.6.5'), { repository: 'registry.local:5000/ml/serving', tag: '2.6.5' });
  assert.equal(parseImage('tensorflow/serving:2.6.5@sha256:ab12'), { repository: 'tensorflow/serving', tag: '2.6.5', digest: 'sha256:ab12' });
  assert.equal(parseImage('tensorflow/serving@sha256:ab12'), { repository: 'tensorflow/serving', digest: 'sha256:ab12' });
});

test.run();
