import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { quote } from '../src/compiler/textproto.js';

test('quote escapes backslashes, double quotes and newlines, and leaves the rest', () => {
  assert.is(quote('resnet'), '"resnet"');
  assert.is(quote('/models/resnet'), '"/models/resnet"');
  assert.is(quote('a"b'), '"a\\"b"');
  assert.is(quote('a\\b'), '"a\\\\b"');
  assert.is(quote('a\nb'), '"a\\nb"');
  assert.is(quote('\\"\n'), '"\\\\\\"\\n"');
  // Against the rule spelled out: every backslash first, then quotes, then newlines.
  const spelledOut = (value: string) => `"${value.split('\\').join('\\\\').split('"').join('\\"').split('\n').join('\\n')}"`;
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\\', '"', '\n', "'", 'é', ' ') }), (value) => quote(value) === spelledOut(value)));
});

test.run();
