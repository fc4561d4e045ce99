import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inlineCredential } from '../src/compiler/secrets.js';

// inlineCredential skips a pattern for values shorter than its shortest match: the shortest
// match of each must still be found.
test('the shortest value of each credential shape is still recognised', () => {
  assert.is(inlineCredential(`AKIA${'A'.repeat(16)}`), 'looks like an AWS access key id');
  assert.is(inlineCredential('s://u:p@'), 'carries a user name and password in a URL');
  assert.is(inlineCredential(`ghp_${'a'.repeat(10)}`), 'looks like an access token');
  assert.is(inlineCredential(`aB3${'x'.repeat(37)}`), 'looks like an AWS secret access key');
});

test('values one character too short for a shape are not credentials', () => {
  assert.is(inlineCredential(`AKIA${'A'.repeat(15)}`), undefined);
  assert.is(inlineCredential(`ghp_${'a'.repeat(9)}`), undefined);
  assert.is(inlineCredential(`aB3${'x'.repeat(36)}`), undefined);
  assert.is(inlineCredential('s3://bucket/key'), undefined);
});

test.run();
