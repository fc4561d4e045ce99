import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { toJsonList, toYaml, writeJsonList, writeYaml } from '../src/compiler/serialize.js';
import * as reference from './helpers/serializeReference.js';

// The serializer is tuned for speed (caches, pieces appended to one string, chunked writes); its rules
// are pinned by the simple version it replaced, kept in test/helpers/serializeReference.ts. A byte-for-byte
// comparison, rather than a parse round trip, because the bytes are the contract: the goldens and users'
// diffs see the quoting, block and key-order choices that a parser would read back the same either way.

/** Strings that sit on the edges of the plain, quoted and literal-block rules. */
const EDGES = ['yes', 'No', 'on', 'y', 'null', '~', '0o17', '0x1F', '0777', '1e3', '1_000', '1:20', '2001-12-14', '.inf',
  'a: b', 'a:b', 'a #b', '- x', '-x', '? x', ': x', '#x', '|', '>', '', ' ', 'x ', ' x', 'e3', 'E0', '100m', '1Gi', 'v1.2.3',
  'a\nb', 'a\n', 'a\n\n', '\n', '\na', 'a \nb', 'a\t\nb', 'a\nb \n', ' a\nb', '\ta\nb', 'a\r\nb', 'line one\nline two  \n',
  'é', 'ü: x', '😀', '\ud800', 'a\udc00', '\u2028', '\ufeff', '\u0085', 'x\u007f', '"q"', "it's", '\\', '---', '...',
  'app.kubernetes.io/name', 'nvidia.com/gpu', 'tensorflow/serving:2.14.1', 'http://a/b', '__proto__', 'constructor'];
const unit = fc.constantFrom('a', 'Z', 'e', 'o', 'x', '0', '1', '9', '.', '-', ':', ' ', '/', '#', '@', '_', '+', '=', '~', '|',
  '"', "'", '\\', '\n', '\t', '\r', '\u0085', '\ufeff', 'é', '😀', '\ud800');
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.string({ unit, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  // Multi-line text with and without trailing spaces, blank lines and a final newline.
  { weight: 2, arbitrary: fc.array(fc.constantFrom('x', 'x  ', '', ' y', 'a: b', '- z', '\tt', 'é'), { minLength: 1, maxLength: 5 }).map((lines) => lines.join('\n')) },
  // Long text: keys over 1,000 characters take the explicit `? key` form.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('k', 'a b', 'é', '"'), fc.integer({ min: 990, max: 1010 })).map(([s, n]) => s.repeat(n).slice(0, n)) },
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e21, -1e21, 1e-7, -0, 0, 0.1, 1.5e300, 2 ** 53));

const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 8 }, text, number, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(fc.oneof({ weight: 9, arbitrary: tie('value') }, { weight: 1, arbitrary: fc.constant(undefined) }), { maxLength: 4 }),
  object: fc.dictionary(text, fc.oneof({ weight: 9, arbitrary: tie('value') }, { weight: 1, arbitrary: fc.constant(undefined) }), { maxKeys: 6, noNullPrototype: true }),
}));
/** Documents as manifests look: mostly objects with the leading keys, sometimes anything at all. */
const document = fc.oneof(
  { weight: 3, arbitrary: fc.record({ apiVersion: text, kind: text, metadata: value, spec: value }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: value },
);

const CASES = 3000;

test(`property: toYaml and toJsonList write what the reference writes, byte for byte (${CASES} cases)`, () => {
  fc.assert(
    fc.property(fc.array(document, { maxLength: 4 }), (docs) => {
      assert.is(toYaml(docs), reference.toYaml(docs));
      assert.is(toJsonList(docs), reference.toJsonList(docs));
    }),
    { numRuns: CASES },
  );
});

test('property: writeYaml and writeJsonList hand over the same text in pieces of whole documents', () => {
  fc.assert(
    fc.property(fc.array(document, { maxLength: 6 }), fc.integer({ min: 1, max: 400 }), (docs, size) => {
      for (const [write, whole] of [[writeYaml, reference.toYaml], [writeJsonList, reference.toJsonList]] as const) {
        const pieces: string[] = [];
        write(docs, (piece) => void pieces.push(piece), size);
        assert.is(pieces.join(''), whole(docs));
        assert.ok(pieces.every((piece, i) => i === pieces.length - 1 || piece.length >= size));
        assert.ok(pieces.every((piece) => piece !== ''));
      }
    }),
    { numRuns: 500 },
  );
});

test('deep nesting and more distinct keys and values than the caches hold', () => {
  let deep: unknown = { leaf: 'a\nb', list: [[['x', { k: 'v\n' }]]] };
  for (let i = 0; i < 40; i++) deep = i % 2 ? { [`k${i}`]: deep, s: 'yes' } : [deep, i];
  const wide = Array.from({ length: 3 }, (_, round) =>
    Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${(i * 7919 + round) % 6000}`, i % 3 ? `value-${i}` : i % 5 ? [`item ${i}`, { [`n${i}`]: 'on' }] : 'no'])),
  );
  for (const docs of [[deep], wide, [deep, ...wide, deep]]) {
    assert.is(toYaml(docs), reference.toYaml(docs));
    const pieces: string[] = [];
    writeYaml(docs, (piece) => pieces.push(piece), 1000);
    assert.is(pieces.join(''), reference.toYaml(docs));
  }
});

test('empty streams and scalar documents', () => {
  for (const docs of [[], [{}], [[]], ['x'], ['a\nb'], ['a \nb'], [null], [undefined], [0], [-0], [1e21], [true], ['yes'], [{}, [], 'x', 1]]) {
    assert.is(toYaml(docs), reference.toYaml(docs));
    assert.is(toJsonList(docs), reference.toJsonList(docs));
    const pieces: string[] = [];
    writeYaml(docs, (piece) => pieces.push(piece), 1);
    assert.is(pieces.join(''), reference.toYaml(docs));
    const items: string[] = [];
    writeJsonList(docs, (piece) => items.push(piece), 1);
    assert.is(items.join(''), reference.toJsonList(docs));
  }
});

test.run();
