import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, stringify } from 'yaml';
import { specFiles } from '../src/cli/inputs.js';
import { readBlockYaml } from '../src/compiler/blockYaml.js';
import { compile } from '../src/compiler/index.js';
import { MAX_DEPTH, reading } from '../src/compiler/parse.js';
import { goldenCases } from './helpers/golden.js';
import { repoRoot } from './helpers/paths.js';

/**
 * The fast reader must either give up or give exactly what the yaml package gives: the same data
 * (numbers compared with Object.is, keys in the same order) and, through compile(), the same
 * objects and diagnostics.
 */

/** BLOCK_YAML_RUNS=10 runs ten times as many random cases (the default keeps the suite quick). */
const RUNS = Number(process.env.BLOCK_YAML_RUNS ?? 1);

/** Deep equality that also compares key order, prototypes and -0/NaN. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  const keys = Object.keys(a);
  const other = Object.keys(b);
  return keys.length === other.length && keys.every((key, i) => key === other[i] && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The reader gives up, or yaml reads the text as one document without a problem and builds the same data. */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text, MAX_DEPTH);
  if (fast === undefined) return false;
  const docs = parseAllDocuments(text, { strict: true, uniqueKeys: false, logLevel: 'silent' });
  assert.ok(Array.isArray(docs) && docs.length === 1, `one document in ${JSON.stringify(text)}`);
  const doc = docs[0]!;
  assert.equal([...doc.errors, ...doc.warnings].map((e) => e.message), [], `no yaml problem in ${JSON.stringify(text)}`);
  const slow = doc.toJS({ maxAliasCount: -1 });
  if (!same(fast, slow)) assert.unreachable(`${JSON.stringify(text)}: fast ${show(fast)}, yaml ${show(slow)}`);
  return true;
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `#${String(Object.is(v, -0) ? '-0' : v)}` : v));
}

/** compile() gives the same objects and the same diagnostics with and without the fast reader. */
function compilesAlike(inputs: Array<{ file: string; text: string }>): void {
  const fast = compile(inputs);
  reading.fast = false;
  let slow;
  try {
    slow = compile(inputs);
  } finally {
    reading.fast = true;
  }
  assert.equal(JSON.stringify(fast.diagnostics), JSON.stringify(slow.diagnostics), `diagnostics of ${JSON.stringify(inputs[0]!.text)}`);
  assert.equal(JSON.stringify(fast.objects), JSON.stringify(slow.objects));
  assert.is(fast.specs, slow.specs);
}

const root = repoRoot();
const corpus: string[] = [
  ...specFiles([join(root, 'examples')]).map((file) => readFileSync(file, 'utf8')),
  ...goldenCases().flatMap((c) => c.inputs.map((input) => Buffer.from(input.bytes!).toString('utf8'))),
];
/** Corpus documents cut at their `---` lines, as parse.ts cuts them, and each rewritten by yaml in block style. */
const documents = corpus.flatMap((text) => text.split(/^(?=---(?:[ \t\r\n]|$))/m)).flatMap((text) => {
  const docs = parseAllDocuments(text);
  let data: unknown;
  try {
    data = Array.isArray(docs) && docs.length === 1 && docs[0]!.errors.length === 0 ? docs[0]!.toJS() : undefined;
  } catch {
    data = undefined; // the alias bomb
  }
  return data && typeof data === 'object' ? [text, stringify(data, { lineWidth: 0 })] : [text];
}).flatMap((text) => [text, text.replace(/\n/g, '\r\n')]);

const SCALARS = [
  'x', 'v1', '1', '-1', '+1', '0', '-0', '007', '0o17', '0o8', '0x1F', '0xg', '1_000', '1e3', '1E-3', '-1.5e+2', '.5', '5.', '1.0', '1.50',
  '.inf', '-.inf', '+.Inf', '.NaN', '.nan', 'NaN', 'inf', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false',
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'Y', "'x'", "'it''s'", "''", '""', '"a\\tb"', '"\\u00e9\\x41\\U0001F600"', '"\\ud800"', '"\\q"', '"\\x4"',
  '"a\\"b"', '"\\\\"', "'a\\tb'", '"é"', 'é', 'a b', 'a  b', 'a #c', 'a#c', 'a: b', 'a:b', 'a:', ':a', '?a', '? a', '-a', '- a', '-', '--', '---', '...',
  '[a]', '[a, b]', '{a: 1}', '{}', '[]', '&x a', '*x', '!!str 1', '!t x', '|', '>', '|-', '"open', "'open", '"a" b', '"a"#c', '"a" #c',
  '%x', '@x', '`x', ',x', 'x,y', 'x]', 'x}', 'a\tb', '\ta', 'a\u2028b', 's3://bucket/key', 'arn:aws:iam::1:role/x', 'tensorflow/serving:2.20.0',
  '[a, "b", 1]', '{a: [1, 2], b: c}', '[ a ,b ]', '{ a: 1 }', '[-1, -a]', '[- a]', '{a: b:c}', '[a, [b, {c: d}]]', `{"a": 1, 'b': 2}`, '[a #c]',
  '{a: 1,}', '[,]', '{a: }', '{: a}', '[a: 1]', '{a: 1, a: 2}', '[~, null, .5, 0x1F, -0, 1e3]', '[yes]', '{__proto__: 1, toString: 2}', '[a] x', '[a]]',
  '{a: 1}}', '[a, ]', '{a: [}', '["a" , \'b\']', '[a b, c  d]', '{1: a, 1.0: b}', '{~: a}', '[http://x/y]', '["a", "a"]',
  "it's", 'say "hi"', 'a\u00a0b', '\u00a0', 'x[y]', 'x{y}', 'a, b', 'a ,b', 'a: ', 'a :b', '-.5', '- -1', '+.5e3', '0o', '0x', '1.', '.', '-', '+', '1 2',
  'http://u:p@host/x', '2001-12-14', '12:30:00', '0b101', '1,000', '= x', '<< ', '<<',
];
const KEYS_ODD = [
  'name', 'a', 'b', 'a-b', '1', '-0', '1.0', '0o17', '0x1F', '.inf', '~', 'null', 'true', 'yes', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  '"q"', "'s'", '"a:b"', '"a b"', "'a''b'", '""', 'a:b', 'a b', 'a#b', 'a #b', '-x', '- x', '? x', '?x', '[a]', '{a}', '&k a', '*k', '!t a', 'a ', '<<',
  '"open', '"\\u00e9"', 'é', 'x'.repeat(1001), '"x" ', 'a[b]', 'a,b', 'a}b', "it's", 'a"b', 'k\u00a0', 'x'.repeat(1000), '.', '-', '1.0e1', '-.inf',
];

/** Mostly ordinary keys and scalars, sometimes odd ones. */
const key = fc.oneof({ arbitrary: fc.constantFrom('name', 'image', 'a', 'b-c', 'x_y', 'v1', 'kind', 'spec', 'metadata', 'hosts', 'port', 'weight', 'cpu', 'memory', 'uri', 'region', 'labels', 'team', 'traffic', 'profile', 'replicas', 'versions', 'gateway', 'storage'), weight: 6 }, { arbitrary: fc.constantFrom(...KEYS_ODD), weight: 1 });
const scalar = fc.oneof(
  { arbitrary: fc.constantFrom('x', 'v1', '12', 'a b', 's3://b/k', '"2"', "'x'", '1.5', 'true', '~', 'image:tag'), weight: 6 },
  { arbitrary: fc.constantFrom(...SCALARS), weight: 2 },
);

/** A random block document: nested mappings and sequences with odd keys, scalars, indentation and comments. */
const node: fc.Arbitrary<string[]> = fc.letrec<{ node: string[] }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s) => [s]),
    fc.array(fc.tuple(key, tie('node'), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 4 }).map((pairs) =>
      ['{map}', ...pairs.flatMap(([key, value, indent]) => entry(`${key}:`, value, indent))],
    ),
    fc.array(fc.tuple(tie('node'), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 4 }).map((items) =>
      ['{seq}', ...items.flatMap(([value, indent]) => entry('-', value, indent))],
    ),
  ),
})).node;

/** Lines for `head` followed by `value`: inline for a scalar, else indented below (or compact after a dash). */
function entry(head: string, value: string[], indent: number): string[] {
  if (value[0] !== '{map}' && value[0] !== '{seq}') return [`${head} ${value[0]}`];
  const body = value.slice(1);
  if (head === '-' && indent === 2 && body.length > 0) return [`- ${body[0]}`, ...body.slice(1).map((line) => `  ${line}`)];
  return [head, ...body.map((line) => `${' '.repeat(indent)}${line}`)];
}

const randomDocument = fc
  .tuple(
    fc.array(fc.tuple(key, node, fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 5 }),
    fc.boolean(),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('# note', '# note', '  # note', '   # indented', '', '  ', '---', 'x: # c', '...')), { maxLength: 2 }),
  )
  .map(([pairs, crlf, extras]) => {
    const lines = pairs.flatMap(([key, value, indent]) => entry(`${key}:`, value, indent));
    for (const [at, line] of extras) lines.splice(at % (lines.length + 1), 0, line);
    return lines.join(crlf ? '\r\n' : '\n') + '\n';
  });

/** Small edits of a real spec: characters in or out, a line re-indented, a value replaced. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), what: fc.constantFrom(' ', '  ', '\n', '#', ':', '-', '- ', '"', "'", '\\', '\t', '[', '{', '&a ', '*a', '!', '|', '>', '~', 'é', '---\n', 'yes', ' # c', 'a: 1\n', '\r') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), what: fc.constantFrom(...SCALARS) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const line = e.at % Math.max(1, lines.length);
  switch (e.kind) {
    case 'insert': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.what + text.slice(at);
    }
    case 'delete': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.length);
    }
    case 'indent':
      lines[line] = e.by >= 0 ? ' '.repeat(e.by) + lines[line] : lines[line]!.replace(new RegExp(`^ {0,${-e.by}}`), '');
      return lines.join('\n');
    case 'value':
      lines[line] = lines[line]!.replace(/(:|-) .*$/, `$1 ${e.what}`);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
  }
}

const mutatedDocument = fc
  .tuple(fc.constantFrom(...documents), fc.array(edit, { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => edits.reduce(applyEdit, text));

/** Documents yaml itself writes, from random data, in its styles: every key and scalar quoted or not as it chooses. */
const written = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 5 }),
    fc.integer({ min: 1, max: 4 }),
    fc.boolean(),
    fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  )
  .map(([data, indent, indentSeq, type]) => stringify(data, { indent, indentSeq, defaultStringType: type as 'PLAIN', defaultKeyType: null, lineWidth: 0 }));

test('every document of the examples and golden inputs reads alike, and the plain ones take the fast path', () => {
  let fast = 0;
  for (const text of documents) if (agrees(text)) fast++;
  // The bench's generated specs are all plain block YAML; hand-written ones often use flow style.
  assert.ok(fast > 0);
});

test('random block documents: the reader gives up or agrees with yaml', () => {
  let fast = 0;
  const edited = fc.tuple(randomDocument, fc.array(edit, { maxLength: 2 })).map(([text, edits]) => edits.reduce(applyEdit, text));
  fc.assert(fc.property(edited, (text) => void (agrees(text) && fast++)), { numRuns: 1500 * RUNS });
  console.log(`  random documents: ${fast} of ${1500 * RUNS} read by the fast reader`);
  assert.ok(fast > 100 * RUNS, `only ${fast} random documents took the fast path`);
});

test('documents yaml writes: the reader gives up or agrees with yaml', () => {
  let fast = 0;
  fc.assert(fc.property(written, (text) => void (agrees(text) && fast++)), { numRuns: 1000 * RUNS });
  console.log(`  documents yaml writes: ${fast} of ${1000 * RUNS} read by the fast reader`);
  assert.ok(fast > 500 * RUNS, `only ${fast} written documents took the fast path`);
});

test('mutated examples and golden inputs: the reader gives up or agrees with yaml', () => {
  let fast = 0;
  fc.assert(fc.property(mutatedDocument, (text) => void (agrees(text) && fast++)), { numRuns: 1500 * RUNS });
  console.log(`  mutated documents: ${fast} of ${1500 * RUNS} read by the fast reader`);
  assert.ok(fast > 150 * RUNS, `only ${fast} mutated documents took the fast path`);
});

test('compile() gives the same objects and diagnostics with the fast reader on and off', () => {
  for (const text of corpus) compilesAlike([{ file: 'spec.yaml', text }]);
  const anyText = fc.oneof(mutatedDocument, randomDocument, fc.tuple(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => edits.reduce(applyEdit, text)));
  fc.assert(fc.property(anyText, (text) => compilesAlike([{ file: 'spec.yaml', text }])), { numRuns: 300 * RUNS });
});

const GIVES_UP: Array<[string, string]> = [
  ['an anchor', 'a: &x 1\nb: 2\n'],
  ['an alias', 'a: 1\nb: *x\n'],
  ['a tag', 'a: !!str 1\n'],
  ['a flow collection over two lines', 'a: [1,\n  2]\n'],
  ['a trailing comma in a flow collection', 'a: [1, 2, ]\n'],
  ['a flow mapping key without a value', 'a: {b, c: 1}\n'],
  ['a flow mapping key with an empty value', 'a: {b: , c: 1}\n'],
  ['a colon in a plain scalar of a flow collection', 'a: [b:c]\n'],
  ['a colon right after a flow mapping key', 'a: {"b":1}\n'],
  ['a comment inside a flow collection', 'a: [b #c\n]\n'],
  ['a flow collection as a key', '[a]: 1\n'],
  ['a duplicate key in a flow mapping', 'a: {b: 1, b: 2}\n'],
  ['a YAML 1.1 boolean word in a flow collection', 'a: [on]\n'],
  ['text after a flow collection', 'a: [b] c\n'],
  ['a literal block scalar', 'a: |\n  text\n'],
  ['a folded block scalar', 'a: >\n  text\n'],
  ['a plain scalar over two lines', 'a: one\n  two\n'],
  ['a quoted scalar over two lines', 'a: "one\n  two"\n'],
  ['a tab', 'a:\n\tb: 1\n'],
  ['a tab inside quotes', 'a: "x\ty"\n'],
  ['a carriage return outside a CRLF line end', 'a: 1\rb: 2\n'],
  ['a carriage return inside quotes', 'a: "1\r"\n'],
  ['a byte-order mark', '\ufeffa: 1\n'],
  ['a duplicate key', 'a: 1\na: 2\n'],
  ['keys that are the same once resolved', '1: a\n"1": b\n'],
  ['a YAML 1.1 boolean word', 'a: yes\n'],
  ['a YAML 1.1 boolean word in a list', 'a:\n  - off\n'],
  ['a directive', '%YAML 1.2\n---\na: 1\n'],
  ['a document end marker', 'a: 1\n...\n'],
  ['content after ---', '--- a: 1\n'],
  ['an explicit key', '? a\n: 1\n'],
  ['a nested mapping on one line', 'a: b: c\n'],
  ['a key followed by a dash', 'a: - b\n'],
  ['a deeper line after a scalar', 'a: 1\n  b: 2\n'],
  ['a list item indented one more than the one before', '- a\n - b\n'],
  ['a line between two indentations', 'a:\n    b: 1\n  c: 2\n'],
  ['a scalar on its own line', 'a:\n  text\n'],
  ['a list item under a scalar mapping entry at its indentation', 'a: 1\n- b\n'],
  ['a scalar document', 'text\n'],
  ['a list document', '- a\n'],
  ['an empty document', '# only a comment\n'],
  ['an unknown escape', 'a: "\\q"\n'],
  ['a short hex escape', 'a: "\\x4"\n'],
  ['text after a closing quote', 'a: "x" y\n'],
  ['a comment right after a closing quote', 'a: "x"#c\n'],
  ['a space before the colon', 'a : 1\n'],
  ['a key over 1000 characters', `${'k'.repeat(1001)}: 1\n`],
  ['a reserved first character', 'a: @x\n'],
  ['nesting deeper than the limit', Array.from({ length: MAX_DEPTH + 1 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n'],
];

test('the reader gives up on what it does not read exactly', () => {
  for (const [why, text] of GIVES_UP) assert.is(readBlockYaml(text, MAX_DEPTH), undefined, why);
});

test('the reader reads the plain subset', () => {
  const text = '---\n# c\nkind: ModelService\nn: 0o17\nf: -.inf\nz: -0\ne: ~\nq: "a\\tb"\ns: \'it\'\'s\'\nl:\n- 1\n- k: v\n  w: 1.50\n__proto__: p\nfl: [a b, "c", {d: [], e: {}}, -1, -.inf] # c\n';
  assert.ok(agrees(text));
  assert.equal(Object.keys(readBlockYaml(text, MAX_DEPTH)!), ['kind', 'n', 'f', 'z', 'e', 'q', 's', 'l', '__proto__', 'fl']);
  assert.ok(agrees(text.replace(/\n/g, '\r\n')), 'CRLF line ends');
  assert.ok(agrees('{a: 1, b: [2, {c: d}]} # a flow mapping as the document\n'));
});

test.run();
