// src/compiler/digest.ts must give exactly node:crypto's SHA-256: content hashes and shortened names
// are part of the output, which never changes between versions.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { sha256Hex } from '../src/compiler/digest.js';

const reference = (text: string) => createHash('sha256').update(text).digest('hex');

test('the FIPS 180-4 examples and the empty string', () => {
  assert.is(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('every length around the padding boundaries (55, 56, 64 bytes and their multiples)', () => {
  for (let length = 0; length <= 300; length++) {
    const text = 'x'.repeat(length);
    assert.is(sha256Hex(text), reference(text), `length ${length}`);
  }
});

test('multi-byte UTF-8, astral characters and lone surrogates hash as node:crypto encodes them', () => {
  for (const text of ['é', 'ünïcødé', '模型服务', '🚀 rollout', '\ud800', 'a\udc00b', '\ud83d', '\u0000\u0000', 'models.config\u0000x\u0000']) {
    assert.is(sha256Hex(text), reference(text), JSON.stringify(text));
  }
});

test('random strings (any code unit, lengths across several blocks) match node:crypto', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (text) => sha256Hex(text) === reference(text)),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\u0000', 'é', '€', '\ud83d\ude80', '\ud800', '\udfff'), maxLength: 200 }), (text) => sha256Hex(text) === reference(text)),
    { numRuns: 2000 },
  );
});

test('a long input (a megabyte) matches node:crypto', () => {
  const text = Array.from({ length: 40_000 }, (_, i) => `line ${i}\n`).join('');
  assert.is(sha256Hex(text), reference(text));
});

test.run();
