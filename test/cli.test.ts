import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { main } from '../src/cli/main.js';
import { servec } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'servec-cli-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};
const valid = `apiVersion: servec.dev/v1alpha1
kind: ModelService
metadata: {name: resnet, namespace: models}
spec:
  storage: {uri: "s3://ml-models/resnet"}
  versions: [{name: v1, modelVersion: 1}]
`;

/**
 * A guard against hangs and quadratic work on hostile input, not a benchmark: a refusal may take at
 * most 2 s, or 8 times a plain one-spec build timed just before it when the machine is that loaded.
 */
function timeLimit(): number {
  const baseline = servec(['validate', file('baseline.yaml', valid)]).ms;
  return Math.max(2000, 8 * baseline);
}
let limit = 2000;

/** The promise servec makes for any input: output and exit 0, or diagnostics, exit 1/2 and nothing on stdout. */
function assertRefused(run: ReturnType<typeof servec>, what: string, status: 1 | 2 = 1) {
  assert.is(run.status, status, `${what}: exit status (stderr: ${run.stderr})`);
  assert.is(run.stdout, '', `${what}: stdout must stay empty`);
  assert.not.match(run.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `${what}: stack trace`);
  assert.ok(run.ms < limit, `${what}: took ${run.ms} ms (limit ${limit} ms)`);
}

test('build prints every manifest of an example to stdout and nothing else', () => {
  const run = servec(['build', 'examples/resnet/2-canary.yaml']);
  assert.is(run.status, 0);
  assert.is(run.stderr, '');
  const kinds = parseAllDocuments(run.stdout).map((d) => d.toJS().kind);
  assert.ok(kinds.includes('VirtualService') && kinds.includes('Deployment'));
});

test('-o json prints a v1 List', () => {
  const list = JSON.parse(servec(['build', '-o', 'json', 'examples/resnet/1-v1.yaml']).stdout);
  assert.is(list.kind, 'List');
  assert.is(list.apiVersion, 'v1');
  assert.ok(list.items.length > 5);
});

test('build accepts several files and directories', () => {
  const run = servec(['build', 'examples/fleet', 'examples/gpu/serving.yaml']);
  assert.is(run.status, 0);
  const names = parseAllDocuments(run.stdout).filter((d) => d.toJS().kind === 'Deployment').map((d) => d.toJS().metadata.name);
  assert.equal(names.sort(), ['bert-qa-v3', 'fraud-score', 'recommender-cart-v2', 'recommender-cart-v3', 'recommender-home-v7']);
});

test('validate reports success', () => {
  const run = servec(['validate', 'examples/fleet', 'examples/gpu']);
  assert.is(run.status, 0);
  assert.match(run.stdout, /^\d+ specs valid/);
});

test('schema prints the JSON Schema; init writes a starter that validates', () => {
  assert.is(JSON.parse(servec(['schema']).stdout).title, 'ModelService');
  const starter = join(tmp, 'starter.yaml');
  assert.is(servec(['init', starter]).status, 0);
  assert.is(servec(['validate', starter]).status, 0);
  assertRefused(servec(['init', starter]), 'init over an existing file', 2);
});

test('usage errors exit 2 with nothing on stdout', () => {
  assertRefused(servec(['build', join(tmp, 'missing.yaml')]), 'missing file', 2);
  mkdirSync(join(tmp, 'empty-dir'));
  assertRefused(servec(['build', join(tmp, 'empty-dir')]), 'directory without specs', 2);
  assertRefused(servec(['frobnicate']), 'unknown command', 2);
  assertRefused(servec(['build', '--bogus', 'examples']), 'unknown option', 2);
  assertRefused(servec(['build', '-o', 'xml', 'examples']), 'bad -o', 2);
  assertRefused(servec(['build']), 'no input', 2);
});

test('an unreadable file is a usage error', () => {
  const path = file('unreadable.yaml', valid);
  chmodSync(path, 0o000);
  const run = servec(['build', path]);
  chmodSync(path, 0o644);
  if (process.getuid?.() === 0 && run.status === 0) return; // root reads anything: nothing to test here
  assertRefused(run, 'unreadable file', 2);
});

test('one broken document among several: all are checked, nothing is printed', () => {
  const stream = `${valid}---\n${valid.replace('resnet, namespace', 'other, namespace').replace('modelVersion: 1', 'modelVersion: one')}---\n${valid.replace('name: resnet', 'name: third').replace('ml-models', 'ML_Models')}`;
  const run = servec(['build', '--format', 'short', file('several.yaml', stream)]);
  assertRefused(run, 'several documents');
  assert.match(run.stderr, /several\.yaml:13:\d+: error\[SV103\]/);
  assert.match(run.stderr, /several\.yaml:\d+:\d+: error\[SV208\]/);
});

test('diagnostic formats: pretty with a code frame, short, JSON; colour only when asked and NO_COLOR unset', () => {
  const bad = file('bad.yaml', valid.replace('modelVersion: 1', 'modelVersion: 1, imgae: x'));
  const pretty = servec(['build', bad]);
  assert.match(pretty.stderr, /error\[SV101\]: unknown field "imgae"/);
  assert.match(pretty.stderr, /--> .*bad\.yaml:6:\d+/);
  assert.match(pretty.stderr, /hint: did you mean "image"\?/);
  assert.not.match(pretty.stderr, /\u001b\[/);
  assert.match(servec(['build', '--color', 'always', bad]).stderr, /\u001b\[/);
  assert.not.match(servec(['build', '--color', 'auto', bad], { env: { NO_COLOR: '1' } }).stderr, /\u001b\[/);
  const short = servec(['build', '--format', 'short', bad]).stderr.trim().split('\n');
  assert.equal(short.length, 1);
  assert.match(short[0]!, /^.*bad\.yaml:6:\d+: error\[SV101\]: unknown field "imgae" in spec\.versions\[0\]$/);
  const json = JSON.parse(servec(['build', '--format', 'json', bad]).stderr);
  assert.is(json.diagnostics[0].code, 'SV101');
  assert.is(json.diagnostics[0].start.line, 6);
  assert.is(json.diagnostics[0].hint, 'did you mean "image"?');
});

test('warnings do not fail a build unless --strict', () => {
  const warn = file('warn.yaml', valid.replace('modelVersion: 1', 'modelVersion: 1, image: "tensorflow/serving:latest"'));
  const run = servec(['build', warn]);
  assert.is(run.status, 0);
  assert.match(run.stderr, /warning\[SV301\]/);
  assert.ok(run.stdout.length > 0);
  assertRefused(servec(['build', '--strict', warn]), '--strict');
});

test('hostile and broken input: exit 1 or 2, empty stdout, no stack trace, under 2 s', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['empty', '', /SV008/],
    ['only-whitespace', '\n\n   \n', /SV008/],
    ['scalar-root', 'hello\n', /SV009/],
    ['list-root', '- 1\n- 2\n', /SV009/],
    ['syntax', 'a: [1, 2\nb: }\n', /SV001/],
    ['tabs', 'apiVersion: x\n\tkind: y\n', /SV00[13]/],
    ['duplicate-keys', `${valid}metadata: {}\n`, /SV002/],
    ['alias-bomb', `a: &a [${'x,'.repeat(50)}x]\nb: &b [${'*a,'.repeat(50)}*a]\nc: &c [${'*b,'.repeat(50)}*b]\nd: [${'*c,'.repeat(50)}*c]\n`, /SV004/],
    ['deep-flow', `spec: ${'['.repeat(100000)}${']'.repeat(100000)}\n`, /SV005/],
    ['deep-block', Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}a:`).join('\n'), /SV005/],
    ['large', `x: ${'a'.repeat(1000)}\n`.repeat(18000), /SV006/],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /SV007/],
    ['latin1', Buffer.from('metadata:\n  name: caf\xe9\n', 'latin1'), /SV007/],
    ['proto-keys', `${valid}__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\n`, /SV101/],
    ['other-kind', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', /SV010/],
    ['unknown-anchor', 'a: *nothing\n', /SV001/],
    ['bom-and-crlf-broken', `\ufeff${valid.replace(/\n/g, '\r\n').replace('modelVersion: 1', 'modelVersion: x')}`, /SV103/],
  ];
  for (const [name, content, code] of cases) {
    limit = timeLimit();
    const run = servec(['build', file(`hostile-${name}.yaml`, content)]);
    assertRefused(run, name);
    assert.match(run.stderr, code, `${name}: ${run.stderr.slice(0, 300)}`);
    assert.match(run.stderr, new RegExp(`hostile-${name}\\.yaml:\\d+:\\d+`), `${name}: no file:line:col`);
  }
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('--version prints the version in package.json', () => {
  const run = servec(['--version']);
  assert.is(run.status, 0);
  assert.is(run.stdout, `${JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version}\n`);
});

test('an internal error is reported as a bug, with exit 70 and no stack trace', async () => {
  let stderr = '';
  const status = await main(['build', 'examples/resnet/1-v1.yaml'], {
    stdout: () => {
      throw new Error('disk on fire');
    },
    stderr: (text) => (stderr += text),
    env: {},
    stderrIsTTY: false,
  });
  assert.is(status, 70);
  assert.match(stderr, /internal error: disk on fire/);
  assert.match(stderr, /bug in servec/);
  assert.not.match(stderr, /\n\s+at /);
});

test('the code frame of a file with a byte-order mark lines up with the column', () => {
  const run = servec(['build', file('bom-frame.yaml', '\ufeffapiVersion: apps/v1\nkind: Deployment\n')]);
  assert.match(run.stderr, /bom-frame\.yaml:1:13/);
  assert.match(run.stderr, /\n1 \| apiVersion: apps\/v1\n  \| {13}\^{7}\n/);
});

test('CRLF line endings and a byte-order mark compile like plain files', () => {
  const crlf = file('crlf.yaml', `\ufeff${valid.replace(/\n/g, '\r\n')}`);
  const plain = file('plain.yaml', valid);
  assert.is(servec(['build', crlf]).stdout, servec(['build', plain]).stdout);
  assert.ok(parse(servec(['build', '-o', 'json', crlf]).stdout).items.length > 0);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));


test('a runaway of flow brackets is refused before the YAML parser recurses into it', () => {
  // 100,000 nested brackets took the parser ~3 s to overflow its stack; a linear scan stops at 1,000.
  const run = servec(['build', file('runaway-flow.yaml', `spec: ${'{a: '.repeat(50000)}1${'}'.repeat(50000)}\n`)]);
  assertRefused(run, 'runaway-flow');
  assert.match(run.stderr, /SV005/);
  // Brackets inside quotes and comments are not nesting.
  const quoted = servec(['validate', file('quoted-brackets.yaml', `${valid}# ${'['.repeat(2000)}\n`.replace('name: resnet', `name: resnet, annotations: {x: "${'['.repeat(2000)}"}`))]);
  assert.not.match(quoted.stderr, /SV005/);
});
test.run();
