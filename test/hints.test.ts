/**
 * Hints for schema errors (src/compiler/hints.ts): each broken spec below gets a hint that says what
 * to write, derived from the value written, and no hint restates the field's description.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { compile } from '../src/compiler/index.js';
import { hintFor, render } from '../src/compiler/hints.js';
import { schema } from '../src/compiler/validate.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { minimalSpec } from './helpers/plan.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid spec to break, as plain data. */
const base = (): Any => minimalSpec();
const flagger = (s: Any, f: Any = {}) => ((s.spec.rollout = { strategy: 'flagger', flagger: f }), (s.spec.slo = { successRate: 99 }));
const two = (s: Any) => (s.spec.versions = [{ name: 'v1', modelVersion: 1 }, { name: 'v2', modelVersion: 2 }]);

/** [what is broken, how, the code, a piece of the hint it must get]. */
const BROKEN: Array<[string, (s: Any) => void, string, string]> = [
  ['a zone for a region', (s) => (s.spec.storage.region = 'eu-central-1a'), 'SV105', 'a region, not a zone: eu-central-1'],
  ['a region in capitals', (s) => (s.spec.storage.region = 'EU-WEST-1'), 'SV105', 'did you mean "eu-west-1"?'],
  ['a namespace in capitals', (s) => (s.metadata.namespace = 'ML-Serving'), 'SV105', 'did you mean "ml-serving"?'],
  ['a service name with capitals and _', (s) => (s.metadata.name = 'ResNet_Serving'), 'SV105', 'did you mean "resnet-serving"?'],
  ['a version name in capitals', (s) => (s.spec.versions[0].name = 'V1'), 'SV105', 'did you mean "v1"?'],
  ['a quoted model version', (s) => (s.spec.versions[0].modelVersion = '2'), 'SV103', 'remove the quotes: 2'],
  ['traffic as a list', (s) => (two(s), (s.spec.traffic = [{ v1: 70 }, { v2: 30 }])), 'SV103', 'a mapping, not a list: {v1: 70, v2: 30}'],
  ['traffic as a list of strings', (s) => (two(s), (s.spec.traffic = ['v1=70', 'v2=30'])), 'SV103', '{v1: 70, v2: 30}'],
  ['memory in GB', (s) => ((s.spec.profiles = { big: { memory: '8GB' } }), (s.spec.versions[0].profile = 'big')), 'SV105', '"8Gi"'],
  ['memory in mb', (s) => (s.spec.profiles = { small: { memory: '512mb' } }), 'SV105', '"512Mi"'],
  ['cpu in cores', (s) => (s.spec.profiles = { small: { cpu: '2 cores' } }), 'SV105', 'did you mean "2"?'],
  ['a success rate as a fraction', (s) => (flagger(s), (s.spec.slo.successRate = 0.99)), 'SV106', 'did you mean 99?'],
  ['a success rate as a finer fraction', (s) => (flagger(s), (s.spec.slo.successRate = 0.995)), 'SV106', 'did you mean 99.5?'],
  ['a strategy in capitals', (s) => (s.spec.rollout = { strategy: 'Flagger' }), 'SV104', 'write it as "flagger"'],
  ['a misspelt strategy', (s) => (s.spec.rollout = { strategy: 'flager' }), 'SV104', 'did you mean "flagger"?'],
  ['a percentile that is not offered', (s) => (flagger(s), (s.spec.slo.latency = { percentile: 98, maxMs: 100 })), 'SV104', 'did you mean 99?'],
  ['a quoted percentile', (s) => (flagger(s), (s.spec.slo.latency = { percentile: '95', maxMs: 100 })), 'SV104', 'remove the quotes: 95'],
  ['an interval in minutes spelt out', (s) => flagger(s, { interval: '1min' }), 'SV105', 'did you mean "1m"?'],
  ['an interval in hours', (s) => flagger(s, { interval: '2h' }), 'SV105', 'did you mean "120m"?'],
  ['an endpoint with a scheme', (s) => (s.spec.storage.endpoint = 'https://minio.storage.svc:9000'), 'SV105', 'did you mean "minio.storage.svc:9000"?'],
  ['a load tester URL without a scheme', (s) => flagger(s, { loadTest: { url: 'flagger-loadtester.test/', command: 'hey' } }), 'SV105', 'did you mean "http://flagger-loadtester.test/"?'],
  ['no storage URI', (s) => delete s.spec.storage.uri, 'SV102', 'add uri: s3://ml-models-repository/resnet'],
  ['no model version', (s) => delete s.spec.versions[0].modelVersion, 'SV102', 'add modelVersion: 1'],
  ['no versions', (s) => delete s.spec.versions, 'SV102', 'add versions: [{name: v1, modelVersion: 1}]'],
  ['a field in the wrong case', (s) => (s.spec.versions[0] = { name: 'v1', modelversion: 1 }), 'SV101', 'did you mean "modelVersion"?'],
  ['a field in snake case', (s) => (s.spec.versions[0] = { name: 'v1', model_version: 1 }), 'SV101', 'did you mean "modelVersion"?'],
  ['a version field at the spec level', (s) => (s.spec.image = 'tensorflow/serving:2.20.0'), 'SV101', 'image belongs under spec.versions[]'],
  ['an empty version list', (s) => (s.spec.versions = []), 'SV107', 'add an item, for example: [{name: v1, modelVersion: 1}]'],
  ['two kinds of credentials', (s) => (s.spec.storage.credentials.serviceAccount = { roleArn: 'arn:aws:iam::123456789012:role/x' }), 'SV107', 'keep one of secret, serviceAccount'],
  ['one protocol as text', (s) => (s.spec.protocols = 'grpc'), 'SV103', 'a list: [grpc]'],
  ['protocols as comma-separated text', (s) => (s.spec.protocols = 'grpc,rest'), 'SV103', 'a list: [grpc, rest]'],
  ['a protocol twice', (s) => (s.spec.protocols = ['grpc', 'grpc']), 'SV107', 'remove item 1, the repeat of item 0'],
  ['a quoted boolean', (s) => (s.spec.security = { mtls: 'false' }), 'SV103', 'write false, without quotes'],
  ['no replicas', (s) => (s.spec.profiles = { small: { replicas: 0 } }), 'SV106', 'use 1 or more (or remove the field for the default 2)'],
  ['half a GPU', (s) => (s.spec.profiles = { small: { gpu: 0.5 } }), 'SV103', 'a whole number: 0 or 1'],
  ['a label key servec owns', (s) => (s.metadata.labels = { app: 'x' }), 'SV105', 'choose another key'],
  ['a label key with a space', (s) => (s.metadata.labels = { 'Team Name': 'x' }), 'SV105', 'did you mean "team-name"?'],
  ['an older apiVersion', (s) => (s.apiVersion = 'servec.dev/v1'), 'SV104', 'write "servec.dev/v1alpha1"'],
  ['a zero latency bound', (s) => (flagger(s), (s.spec.slo.latency = { maxMs: 0 })), 'SV106', 'use a number above 0'],
];

function diagnosticsOf(spec: Any): Diagnostic[] {
  return compile([{ file: 'serving.yaml', text: stringify(spec) }]).diagnostics;
}

for (const [what, breakIt, code, expected] of BROKEN) {
  test(`hint: ${what}`, () => {
    const spec = base();
    breakIt(spec);
    const found = diagnosticsOf(spec).filter((d) => d.code === code);
    assert.ok(found.length > 0, `${what}: no ${code} in ${JSON.stringify(diagnosticsOf(spec).map((d) => [d.code, d.message]))}`);
    const hints = found.map((d) => d.hint ?? '');
    assert.ok(hints.some((h) => h.includes(expected)), `${what}: hints ${JSON.stringify(hints)} lack ${JSON.stringify(expected)}`);
  });
}

/** The description of the schema node at a spec path (following $ref, properties, items, map values). */
function descriptionAt(path: ReadonlyArray<string | number>): string | undefined {
  const root = schema as Any;
  const resolve = (n: Any): Any => (n?.$ref ? String(n.$ref).slice(2).split('/').reduce((o: Any, k: string) => o?.[k], root) : n);
  let node: Any = root;
  for (const segment of path) {
    node = resolve(node);
    node = typeof segment === 'number' ? node?.items : (node?.properties?.[segment] ?? node?.additionalProperties);
  }
  node = resolve(node);
  return typeof node?.description === 'string' ? node.description : undefined;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);

/** A hint restates the description when one contains the other or they share most of their words. */
function restates(hint: string, description: string): boolean {
  const h = hint.toLowerCase().trim().replace(/\.$/, '');
  const d = description.toLowerCase().trim().replace(/\.$/, '');
  if (d.includes(h) || h.includes(d)) return true;
  const hw = words(hint);
  const dw = words(description);
  const shared = [...hw].filter((w) => dw.has(w)).length;
  return hw.size > 0 && shared / hw.size > 0.6;
}

test('no hint restates the description of its field', () => {
  assert.ok(restates('Bound in milliseconds.', 'Bound in milliseconds.'), 'the comparison catches a copy');
  assert.not.ok(restates('use a number above 0', 'Bound in milliseconds.'));
  const problems: string[] = [];
  let compared = 0;
  for (const [what, breakIt] of BROKEN) {
    const spec = base();
    breakIt(spec);
    for (const d of diagnosticsOf(spec)) {
      const description = d.pathSegments && descriptionAt(d.pathSegments);
      if (!d.hint || !description) continue;
      compared++;
      if (restates(d.hint, description)) problems.push(`${what}: ${d.code} hint ${JSON.stringify(d.hint)} restates ${JSON.stringify(description)}`);
    }
  }
  assert.ok(compared >= 25, `only ${compared} hints compared`);
  assert.equal(problems, []);
});

test('every schema error in the table gets a hint', () => {
  const missing: string[] = [];
  for (const [what, breakIt] of BROKEN) {
    const spec = base();
    breakIt(spec);
    for (const d of diagnosticsOf(spec)) if (d.code.startsWith('SV1') && !d.hint) missing.push(`${what}: ${d.code} ${d.message}`);
  }
  assert.equal(missing, []);
});

/** hintFor on its own: [keyword, params, value, field, expected hint]. */
const DIRECT: Array<[string, Record<string, unknown>, unknown, Record<string, unknown>, string]> = [
  ['minimum', { limit: 1 }, 0.99, { description: 'Share, in percent.' }, 'it is a percentage, not a fraction: did you mean 99?'],
  ['minimum', { limit: 1 }, 0.995, { description: 'Share, in percent.' }, 'it is a percentage, not a fraction: did you mean 99.5?'],
  ['pattern', {}, 'us-east-1b', { pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' }, 'a region, not a zone: us-east-1'],
  ['pattern', {}, '16GB', { pattern: '^[0-9]+(Ki|Mi|Gi|Ti)?$' }, 'Kubernetes writes binary units as Ki, Mi, Gi, Ti: did you mean "16Gi"?'],
  ['type', { type: 'integer' }, '7', {}, 'remove the quotes: 7'],
  ['type', { type: 'integer' }, '7.5', {}, 'a whole number, without quotes: 7 or 8'],
  ['type', { type: 'object' }, [{ a: 1 }, { b: 2 }], {}, 'a mapping, not a list: {a: 1, b: 2}'],
  ['enum', { allowedValues: ['manual', 'flagger'] }, 'MANUAL', {}, 'write it as "manual"'],
  ['maxLength', { limit: 5 }, 'abcdefg', {}, 'shorten it by 2 characters'],
];

test('hintFor: each derivation on its own', () => {
  for (const [keyword, params, value, field, expected] of DIRECT) {
    assert.is(hintFor({ keyword, params, value, field, resolve: (n) => n }), expected, `${keyword} ${JSON.stringify(value)}`);
  }
  const huge = Array.from({ length: 5000 }, (_, i) => ({ [`v${i}`]: 1 }));
  assert.ok(hintFor({ keyword: 'type', params: { type: 'object' }, value: huge, field: {}, resolve: (n) => n })!.length <= 200, 'a hint from a huge value is cut');
  assert.is(render({ v1: 70, v2: 30 }), '{v1: 70, v2: 30}');
  assert.is(render(['grpc', 'rest']), '[grpc, rest]');
  assert.is(render('yes'), '"yes"');
});

test.run();
