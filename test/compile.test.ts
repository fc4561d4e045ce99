/** The driver: a bug in one spec's stages is a diagnostic (SV900), not a crash that hides the rest. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECKS } from '../src/checks/index.js';
import type { Check } from '../src/checks/context.js';
import { compile } from '../src/compiler/index.js';
import { toYaml, writeDocuments, writeYaml } from '../src/compiler/serialize.js';
import { repoRoot } from './helpers/paths.js';

const minimal = readFileSync(path.join(repoRoot(), 'golden/minimal/input.yaml'), 'utf8');
const broken = readFileSync(path.join(repoRoot(), 'golden/error-SV201-weights-sum/input.yaml'), 'utf8');

const SPEC = (name: string, version: string) => `apiVersion: servec.dev/v1alpha1
kind: ModelService
metadata: {name: ${name}, namespace: models}
spec:
  storage: {uri: s3://ml-models/resnet, credentials: {secret: {name: s3-creds}}}
  versions: [{name: ${version}, modelVersion: 1}]
  gateway: {hosts: [${name}.example.com]}
`;

test('two specs of the same service: one SV216 per pair of specs, naming the service, not each object', () => {
  const twice = compile([{ file: 'a.yaml', text: SPEC('resnet', 'v1') }, { file: 'b.yaml', text: SPEC('resnet', 'v2') }]);
  const found = twice.diagnostics.filter((d) => d.code === 'SV216');
  assert.is(found.length, 1);
  assert.is(found[0]!.file, 'b.yaml');
  assert.match(found[0]!.message, 'another spec describes the same service "resnet" in namespace models (a.yaml:3:18)');
  // Three copies: each later copy once, against the first; never once per object.
  const thrice = compile([{ file: 'a.yaml', text: [SPEC('resnet', 'v1'), SPEC('resnet', 'v1'), SPEC('resnet', 'v1')].join('---\n') }]);
  assert.equal(thrice.diagnostics.map((d) => [d.code, d.start?.line]), [['SV216', 11], ['SV216', 19]]);
});

test('specs whose derived names collide: one SV216 naming the object', () => {
  const result = compile([{ file: 'a.yaml', text: `${SPEC('resnet', 'v1-x')}---\n${SPEC('resnet-v1', 'x')}` }]);
  const found = result.diagnostics.filter((d) => d.code === 'SV216');
  assert.is(found.length, 1);
  assert.match(found[0]!.message, 'Deployment models/resnet-v1-x is produced twice');
});

test('an exception inside a stage becomes SV900 at the spec, and the other specs are still checked', () => {
  const checks = CHECKS as Check[];
  const failing: Check = ({ plan }) => {
    if (plan.name === 'resnet' && plan.versions.length === 1) throw new Error('boom');
  };
  checks.push(failing);
  try {
    const result = compile([
      { file: 'a.yaml', text: minimal },
      { file: 'b.yaml', text: broken },
    ]);
    assert.is(result.ok, false);
    assert.equal(result.objects, []);
    assert.equal(result.diagnostics.map((d) => [d.file, d.code, d.path]), [
      ['a.yaml', 'SV900', 'metadata.name'],
      ['b.yaml', 'SV201', 'spec.traffic'],
    ]);
    assert.match(result.diagnostics[0]!.message, /\(boom\); this is a bug in servec/);
  } finally {
    checks.splice(checks.indexOf(failing), 1);
  }
});


test('the order in which client errors are listed does not change the manifests', () => {
  const spec = readFileSync(path.join(repoRoot(), 'golden/flagger-rest-client-errors/input.yaml'), 'utf8');
  assert.match(spec, /clientErrors: \{http: \[404, 400\]\}/);
  const listed = compile([{ file: 'a.yaml', text: spec }]);
  const swapped = compile([{ file: 'a.yaml', text: spec.replace('[404, 400]', '[400, 404]') }]);
  assert.ok(listed.ok);
  assert.equal(swapped.objects, listed.objects);
  const template = listed.objects.find((o) => o.kind === 'MetricTemplate') as { spec: { query: string } } | undefined;
  assert.match(template?.spec.query ?? '', /response_code=~"2\.\.\|3\.\.\|400\|404"/);
});

test("as: 'yaml' keeps each object's YAML document instead of the object: the same stream, the same diagnostics", () => {
  const root = repoRoot();
  const inputs = [
    ...readdirSync(path.join(root, 'golden')).map((dir) => path.join('golden', dir, 'input.yaml')),
    ...readdirSync(path.join(root, 'examples'), { recursive: true }).map((file) => path.join('examples', String(file))),
  ]
    .filter((file) => file.endsWith('.yaml') && existsSync(path.join(root, file)))
    .map((file) => ({ file, bytes: readFileSync(path.join(root, file)) }));
  assert.ok(inputs.length > 40, `${inputs.length} inputs`);
  let built = 0;
  // One input at a time (each golden case alone), then all the examples in one build.
  for (const batch of [...inputs.map((input) => [input]), inputs.filter((input) => input.file.startsWith('examples'))]) {
    const objects = compile(batch);
    const documents = compile(batch, { as: 'yaml' });
    assert.equal(documents.diagnostics, objects.diagnostics, batch[0]!.file);
    assert.is(documents.ok, objects.ok);
    assert.equal(documents.objects, []);
    assert.is(documents.documents.join('---\n'), toYaml(objects.objects), batch[0]!.file);
    if (objects.ok) built++;
  }
  assert.ok(built > 20, `${built} builds succeeded`);
});

test("writeDocuments writes writeYaml's pieces from the documents", () => {
  const result = compile([{ file: 'm.yaml', text: minimal }]);
  const documents = compile([{ file: 'm.yaml', text: minimal }], { as: 'yaml' }).documents;
  for (const size of [1, 100, 1 << 16]) {
    const a: string[] = [];
    const b: string[] = [];
    writeYaml(result.objects, (piece) => a.push(piece), size);
    writeDocuments(documents, (piece) => b.push(piece), size);
    assert.equal(b, a, `pieces of ${size}`);
  }
});

test.run();
