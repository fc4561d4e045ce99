import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import YAML from 'yaml';
import { canonicalKeys, toJsonList, toYaml } from '../src/compiler/serialize.js';

/** How a lone string value is written as the value of key `k`. */
const scalar = (value: unknown): string => toYaml([{ k: value }]).slice('k: '.length, -1);

test('a Deployment-like object in kubectl style', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'serving',
              image: 'tensorflow/serving:2.14.1',
              args: ['--port=8500', '--model_config_file=/config/models.config'],
              ports: [{ containerPort: 8500, name: 'grpc' }],
              resources: { limits: { 'nvidia.com/gpu': 1, memory: '4Gi' }, requests: { cpu: '500m' } },
              env: [],
            },
          ],
        },
        metadata: { labels: { 'app.kubernetes.io/name': 'resnet' }, annotations: { 'prometheus.io/scrape': 'true' } },
      },
      replicas: 2,
      paused: false,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'resnet' } },
      strategy: {},
      minReadySeconds: undefined,
    },
    metadata: { name: 'resnet', namespace: 'models', uid: null },
    kind: 'Deployment',
    apiVersion: 'apps/v1',
  };
  assert.is(
    toYaml([deployment]),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: resnet
  namespace: models
  uid: null
spec:
  paused: false
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: resnet
  strategy: {}
  template:
    metadata:
      annotations:
        prometheus.io/scrape: "true"
      labels:
        app.kubernetes.io/name: resnet
    spec:
      containers:
        - args:
            - "--port=8500"
            - "--model_config_file=/config/models.config"
          env: []
          image: tensorflow/serving:2.14.1
          name: serving
          ports:
            - containerPort: 8500
              name: grpc
          resources:
            limits:
              memory: 4Gi
              nvidia.com/gpu: 1
            requests:
              cpu: 500m
`,
  );
});

test('literal blocks for multi-line text, double quotes when a block would not round-trip', () => {
  const config = 'model_config_list {\n  config {\n    name: "resnet"\n  }\n}\n';
  assert.is(
    toYaml([{ kind: 'ConfigMap', data: { 'models.config': config, 'b.txt': 'a\n\nb' } }]),
    'kind: ConfigMap\ndata:\n  b.txt: |-\n    a\n\n    b\n  models.config: |\n    model_config_list {\n      config {\n' +
      '        name: "resnet"\n      }\n    }\n',
  );
  assert.is(toYaml([['x\ny']]), '- |-\n  x\n  y\n');
  assert.is(toYaml([[{ a: 'x\ny\n' }]]), '- a: |\n    x\n    y\n');
  assert.is(scalar('\nx'), '|-\n\n  x');
  assert.is(scalar('😀 é\n日本'), '|-\n  😀 é\n  日本');
  assert.is(scalar('a\tb\n\tc'), '|-\n  a\tb\n  \tc');
  assert.is(scalar('a \nb'), '"a \\nb"'); // trailing space
  assert.is(scalar('a\n \nb'), '"a\\n \\nb"'); // whitespace-only line
  assert.is(scalar('a\r\nb'), '"a\\r\\nb"');
  assert.is(scalar('a\n\n'), '"a\\n\\n"'); // would need |+
  assert.is(scalar(' a\nb'), '" a\\nb"'); // indentation would be auto-detected from the first line
  assert.is(scalar('\n\n a'), '"\\n\\n a"');
  assert.is(scalar('\ta\nb'), '"\\ta\\nb"'); // libyaml rejects a tab while detecting indentation
  assert.is(scalar('\n'), '"\\n"'); // |-clipped empty content would read as ''
  assert.is(scalar('a\nb\u0085'), '"a\\nb\\u0085"');
});

test('strings are quoted unless plain is safe in YAML 1.1 and 1.2', () => {
  const quoted = ['on', 'ON', 'Off', 'yes', 'No', 'y', 'N', 'true', 'False', 'null', 'NULL', '~', '', ' x', 'x ',
    'a: b', 'a:', 'a #b', '#x', '- a', '-a', '?', ':', '|', '>', '@x', '`x', "'x", '%x', '!x', '&x', '*x', '[x', '{x',
    '0777', '0o17', '0x1F', '0b1', '1.10', '1e3', '1_000', '1:20', '2001-12-14', '2001-12-14T21:59:43.10Z', '.inf',
    '-.Inf', '.NaN', '.5', '+1', '-1', '12', '<<', '=', 'a  b', 'é', '1.2.3', 'e3', 'E-5'];
  for (const s of quoted) assert.is(scalar(s), JSON.stringify(s), s);
  const plain = ['resnet', 'nginx:1.25', '100m', '1Gi', 'v1.2.3', 'hello world', '/models/resnet', 'a=b', 'ys', 'none',
    'gcr.io/x/y:1.2@sha256:ab', 'http://x.io/a', 'e3x', 'Infinity', 'NaN', 'a -b', 'on-call'];
  for (const s of plain) assert.is(scalar(s), s, s);
});

test('escapes in double-quoted strings', () => {
  assert.is(scalar('"\\\t\r\n'), '"\\"\\\\\\t\\r\\n"');
  assert.is(scalar('\x00\x1b\x7f\x80\x9f\u2028\u2029\ufeff\ufffe\uffff'),
    '"\\u0000\\u001B\\u007F\\u0080\\u009F\\u2028\\u2029\\uFEFF\\uFFFE\\uFFFF"');
  assert.is(scalar('x\ud800y\udc00'), '"x\\uD800y\\uDC00"'); // lone surrogates
  assert.is(scalar(' é 😀 日本'), '" é 😀 日本"'); // printable non-ASCII stays as-is
  assert.is(YAML.parse(toYaml([{ k: 'x\ud800' }])).k, 'x\ud800');
});

test('keys follow the same quoting rules', () => {
  assert.is(
    toYaml([{ yes: 1, on: 2, '1': 3, 'prometheus.io/scrape': 4, 'a b': 5, 'a: b': 6, '': 7 }]),
    '"": 7\n"1": 3\na b: 5\n"a: b": 6\n"on": 2\nprometheus.io/scrape: 4\n"yes": 1\n',
  );
  const long = { ['k'.repeat(1100)]: { a: 1 }, b: ['x'] }; // implicit keys are limited to 1024 characters
  assert.equal(YAML.parse(toYaml([long])), long);
  assert.equal(YAML.parse(toYaml([[long]])), [long]);
});

test('key order: apiVersion, kind, metadata first at top level; code-unit order elsewhere', () => {
  const obj = { z: 1, metadata: { kind: 1, apiVersion: 2, B: 3, a: 4, '10': 5, '9': 6 }, b: 2, kind: 'K', apiVersion: 'v1' };
  assert.equal(canonicalKeys(obj, true), ['apiVersion', 'kind', 'metadata', 'b', 'z']);
  assert.equal(canonicalKeys(obj.metadata, false), ['10', '9', 'B', 'a', 'apiVersion', 'kind']);
  assert.equal(canonicalKeys({ b: 1, a: undefined, metadata: undefined }, true), ['b']);
  assert.is(toYaml([{ b: 1, kind: 'K' }]), 'kind: K\nb: 1\n');
  assert.is(toYaml([[{ kind: 'K', apiVersion: 'v1' }]]), '- apiVersion: v1\n  kind: K\n'); // nested: plain sort
  const big: Record<string, number | undefined> = {};
  for (let i = 0; i < 50; i++) big[`k${(i * 37) % 50}`] = i % 7 === 0 ? undefined : i; // the path for >32 keys
  const expected = Object.keys(big).filter((key) => big[key] !== undefined).sort();
  assert.equal(canonicalKeys(big, false), expected);
  assert.equal(Object.keys(YAML.parse(toYaml([big]))), expected);
});

test('numbers, nulls, empty containers, documents', () => {
  assert.is(toYaml([{ a: 1.5, b: -0, c: 1e21, d: -7, e: 5e-324, f: 0.1, g: 1.5e300 }]), 'a: 1.5\nb: 0\nc: 1.0e+21\nd: -7\ne: 5.0e-324\nf: 0.1\ng: 1.5e+300\n');
  assert.throws(() => toYaml([{ a: NaN }]), /non-finite/);
  assert.throws(() => toJsonList([{ a: Infinity }]), /non-finite/);
  assert.is(toYaml([]), '');
  assert.is(toYaml([{}, [], null, 'x', [[1, 2], []], { a: { b: [] } }]), '{}\n---\n[]\n---\nnull\n---\nx\n---\n- - 1\n  - 2\n- []\n---\na:\n  b: []\n');
  assert.is(toYaml([{ a: 1 }, { b: 2 }]), 'a: 1\n---\nb: 2\n');
});

test('toJsonList', () => {
  assert.is(toJsonList([]), '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": []\n}\n');
  assert.is(
    toJsonList([{ b: [1, {}], kind: 'K', a: { y: null, x: [] }, c: undefined }]),
    '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {\n      "kind": "K",\n      "a": {\n        "x": [],\n' +
      '        "y": null\n      },\n      "b": [\n        1,\n        {}\n      ]\n    }\n  ]\n}\n',
  );
});

// ---------------------------------------------------------------------------------------------------
// Properties

const TRAPS = ['on', 'off', 'yes', 'no', 'y', 'n', 'true', 'False', 'NULL', '~', '0777', '0x1F', '1.10', '1e3', '.inf',
  '-.Inf', '.NaN', '1:20', '2001-12-14', '<<', '=', '-', '?', ':', '#', '|', '>', '@', '`', '', 'a\nb', 'a\n', 'a\n\n',
  '\na', ' x', 'x ', 'a\r\nb', '\tx', 'a\tb', 'a: b', 'a #b', 'a:', '0o17', '0b1', '1_000', '100m', 'v1.2.3', 'é',
  '😀', '\u2028', '\ud800', 'x\n  y\n', ' a\nb', '---', '...', '__proto__', 'e3', 'E0'];
/** Short strings over an alphabet that stresses the plain-scalar and literal-block rules. */
const tricky = fc.string({
  unit: fc.constantFrom('a', 'Z', 'E', 'o', 'x', '0', '1', '.', '-', ':', ' ', '/', '#', '@', '_', '+', '=', '~', '|', '"', '\\',
    '\n', '\t', '\r', '\u0085', '\ufeff'),
  maxLength: 10,
});
const str = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...TRAPS), tricky);

const { value: jsonValue } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, str, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(str, tie('value'), { maxKeys: 5, noNullPrototype: true }),
}));

/** YAML 1.1 may read numbers differently, but every string (and key) must come back unchanged. */
function assertStringsSurvive(original: unknown, parsed: unknown): void {
  if (typeof original === 'string') assert.is(parsed, original);
  else if (Array.isArray(original)) {
    assert.ok(Array.isArray(parsed) && parsed.length === original.length);
    original.forEach((item, i) => assertStringsSurvive(item, (parsed as unknown[])[i]));
  } else if (typeof original === 'object' && original !== null) {
    const record = parsed as Record<string, unknown>;
    assert.equal(Object.keys(record).sort(), Object.keys(original).sort());
    for (const [key, item] of Object.entries(original)) assertStringsSurvive(item, record[key]);
  } else assert.is(parsed, original);
}

const RUNS = { numRuns: 300 };

test('property: YAML round-trips through YAML 1.2 and keeps strings in YAML 1.1', () => {
  fc.assert(
    fc.property(jsonValue, (value) => {
      const text = toYaml([value]);
      assert.equal(YAML.parse(text), value); // dequal compares with ===, so -0 and 0 are equal
      assertStringsSurvive(value, YAML.parse(text, { version: '1.1' }));
    }),
    RUNS,
  );
});

test('property: multi-document YAML and JSON lists round-trip', () => {
  fc.assert(
    fc.property(fc.array(jsonValue, { maxLength: 5 }), (list) => {
      const docs = YAML.parseAllDocuments(toYaml(list));
      const parsed = Array.isArray(docs) ? docs : [];
      for (const doc of parsed) assert.equal(doc.errors, []);
      assert.equal(parsed.map((doc) => doc.toJS()), list);
      assert.equal(JSON.parse(toJsonList(list)).items, list);
    }),
    RUNS,
  );
});

/** A deep copy whose object keys are inserted in a scrambled order. */
function scramble(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => scramble(item, seed));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).sort((a, b) => ((a.length * seed) % 7) - ((b.length * seed) % 7) || (b < a ? -1 : 1));
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const item = scramble((value as Record<string, unknown>)[key], seed);
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

test('property: key insertion order does not change the output', () => {
  fc.assert(
    fc.property(jsonValue, fc.integer({ min: 1, max: 1000 }), (value, seed) => {
      const shuffled = scramble(value, seed);
      assert.is(toYaml([shuffled]), toYaml([value]));
      assert.is(toJsonList([shuffled]), toJsonList([value]));
    }),
    RUNS,
  );
});

test.run();
