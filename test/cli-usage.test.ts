/** The command line's contract: standard input, exit statuses, output formats, inputs named twice, init's schema. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { servec } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'servec-usage-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const example = readFileSync(join(repoRoot(), 'examples/resnet/1-v1.yaml'), 'utf8');
const broken = example.replace(/name: resnet\b/, 'name: Resnet');

/** A usage error: exit 2, nothing on stdout, one line of our own and the pointer to --help. */
function assertUsage(run: ReturnType<typeof servec>, message: RegExp) {
  assert.is(run.status, 2, run.stderr);
  assert.is(run.stdout, '');
  assert.match(run.stderr, message);
  assert.is(run.stderr.trimEnd().split('\n').length, 2, run.stderr);
  assert.match(run.stderr, /\nRun 'servec --help' for usage\.\n$/);
}

test('build - and validate - read standard input', () => {
  const built = servec(['build', '-'], { input: example });
  assert.is(built.status, 0, built.stderr);
  assert.equal(built.stdout, servec(['build', 'examples/resnet/1-v1.yaml']).stdout);
  const valid = servec(['validate', '-'], { input: example });
  assert.is(valid.status, 0);
  assert.match(valid.stdout, /^1 spec valid/);
});

test('diagnostics name standard input <stdin>', () => {
  const run = servec(['validate', '-', '--format', 'short'], { input: broken });
  assert.is(run.status, 1);
  assert.match(run.stderr, /^<stdin>:\d+:\d+: error\[SV\d+\]/);
  const pretty = servec(['build', '-'], { input: broken });
  assert.match(pretty.stderr, /--> <stdin>:\d+:\d+/);
  assert.is(pretty.stdout, '');
});

test('- may be named only once, and watch refuses it', () => {
  assertUsage(servec(['build', '-', '-'], { input: example }), /^servec: - \(standard input\) can be named only once\n/);
  assertUsage(servec(['watch', '-'], { input: example }), /cannot read - \(standard input\)/);
});

test('init into a directory that does not exist: exit 2 and why', () => {
  assertUsage(servec(['init', join(tmp, 'missing', 'x.yaml')]), /^servec: .*missing\/x\.yaml: cannot write: no such file or directory\n/);
});

test('validate --format json prints JSON on success too', () => {
  const run = servec(['validate', '--format', 'json', 'examples/resnet/1-v1.yaml']);
  assert.is(run.status, 0);
  assert.equal(JSON.parse(run.stdout), { valid: true, specs: 1, objects: 12, warnings: 0 });
});

test('-o with --out-dir is refused: --out-dir writes YAML only', () => {
  const out = join(tmp, 'out-json');
  assertUsage(servec(['build', '-o', 'json', '--out-dir', out, 'examples/resnet/1-v1.yaml']), /--out-dir always writes YAML/);
  assert.not.ok(existsSync(out), 'nothing written');
});

test('schema takes no arguments', () => {
  assertUsage(servec(['schema', 'extra']), /^servec: schema takes no arguments \(got "extra"\)/);
});

test('bare servec: usage on stderr, exit 2; --help: usage on stdout, exit 0', () => {
  const bare = servec([]);
  assert.is(bare.status, 2);
  assert.is(bare.stdout, '');
  assert.match(bare.stderr, /^servec [\d.]+: compile/);
  const help = servec(['--help']);
  assert.is(help.status, 0);
  assert.is(help.stdout, bare.stderr);
  assert.match(help.stdout, /--debounce MS +with watch: wait MS milliseconds after the last change/);
});

test('option mistakes get one plain line of our own', () => {
  assertUsage(servec(['validate', '--frobnicate', 'x.yaml']), /^servec: unknown option --frobnicate\n/);
  assertUsage(servec(['build', '-z']), /^servec: unknown option -z\n/);
  assertUsage(servec(['build', 'examples/resnet/1-v1.yaml', '--out-dir']), /^servec: --out-dir needs a value\n/);
  assertUsage(servec(['build', '--strict=yes', 'examples/resnet/1-v1.yaml']), /^servec: --strict takes no value\n/);
  assertUsage(servec(['--strict']), /^servec: name a command before options \(got --strict\)\n/);
});

test('one file named twice (./a.yaml and a.yaml, a symlink, inside a named directory) is read once', () => {
  const dir = join(tmp, 'twice');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), example);
  symlinkSync(join(dir, 'a.yaml'), join(tmp, 'link.yaml'));
  const run = servec(['validate', './a.yaml', 'a.yaml', join(tmp, 'link.yaml'), '.', dir], { cwd: dir });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stderr, '');
  assert.match(run.stdout, /^1 spec valid/);
  const built = servec(['build', 'a.yaml', './a.yaml'], { cwd: dir });
  assert.is(parseAllDocuments(built.stdout).filter((d) => d.toJS().kind === 'Deployment').length, 1);
});

test('init writes the spec and the JSON Schema its $schema line points at', () => {
  const dir = mkdtempSync(join(tmp, 'init-'));
  const run = servec(['init', 'serving.yaml'], { cwd: dir });
  assert.is(run.status, 0, run.stderr);
  const spec = readFileSync(join(dir, 'serving.yaml'), 'utf8');
  const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(spec)?.[1];
  assert.is(ref, './serving.schema.json');
  const schema = JSON.parse(readFileSync(join(dir, ref!), 'utf8'));
  assert.equal(schema, JSON.parse(servec(['schema']).stdout));
  assert.is(servec(['validate', 'serving.yaml'], { cwd: dir }).status, 0);
});

test.run();
