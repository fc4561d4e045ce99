/** `--out-dir`: file naming, ownership, unchanged files, kustomize round trip and `--check`. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { checkOutDir, planFiles, writeOutDir } from '../src/cli/outDir.js';
import type { Io } from '../src/cli/io.js';
import { compile, type K8sObject, type SourceInput } from '../src/compiler/index.js';
import { toYaml } from '../src/compiler/serialize.js';
import { repoRoot } from './helpers/paths.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'servec-outdir-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function example(name: string, edit = (text: string) => text): SourceInput[] {
  const dir = path.join(repoRoot(), 'examples', name);
  return fs.readdirSync(dir).sort().map((file) => ({ file: `examples/${name}/${file}`, text: edit(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

function build(inputs: SourceInput[]): K8sObject[] {
  const result = compile(inputs);
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  return result.objects;
}

const fleet = build(example('fleet'));
const everything = build([...example('fleet'), ...example('rest-only'), ...example('gpu')]);
let dirs = 0;
const freshDir = () => path.join(tmp, `out-${++dirs}`);

function captureIo(): Io & { err: string } {
  const io = { err: '', stdout: () => {}, stderr: (text: string) => void (io.err += text), env: {}, stderrIsTTY: false };
  return io;
}

/** Every file under dir (relative path → contents). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  }
  return files;
}

const key = (o: any) => `${o.apiVersion}|${o.kind}|${o.metadata?.namespace}|${o.metadata?.name}`;
const sorted = (objects: any[]) => objects.slice().sort((a, b) => (key(a) < key(b) ? -1 : 1));
const parseStream = (text: string) => YAML.parseAllDocuments(text).map((doc) => doc.toJS());

test('planFiles: one readable, stable file per object plus kustomization.yaml', () => {
  const plan = planFiles(everything);
  assert.is(plan.size, everything.length + 1);
  assert.ok(plan.has('recs/deployment-recommender-cart-v2.yaml'));
  assert.ok(plan.has('risk/canary-fraud-score.yaml'));
  for (const file of plan.keys()) assert.match(file, /^(?:[a-z0-9-]+\/[a-z]+-[a-z0-9.-]+|kustomization)\.yaml$/);
  [...plan.values()].slice(0, -1).forEach((text, i) => assert.is(text, toYaml([everything[i]])));
  // Stable: the same objects in another order, or with others added, keep their names.
  const reversed = planFiles(everything.slice().reverse());
  assert.equal([...reversed.keys()].sort(), [...plan.keys()].sort());
  for (const [file, text] of planFiles(fleet)) if (file !== 'kustomization.yaml') assert.is(plan.get(file), text);
  const kustomization = YAML.parse(plan.get('kustomization.yaml')!);
  assert.is(kustomization.kind, 'Kustomization');
  assert.equal(kustomization.resources, [...plan.keys()].slice(0, -1));
});

test('planFiles: dotted names, cluster-scoped objects and one kind from two groups stay distinct', () => {
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace && { namespace }) });
  const objects = [
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta('web', 'a'), spec: {} },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('web', 'a'), spec: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('a.b', 'a') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('a-b', 'a') },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('a') },
  ] as unknown as K8sObject[];
  assert.equal([...planFiles(objects).keys()], [
    'a/gateway.networking.istio.io-web.yaml',
    'a/gateway.gateway.networking.k8s.io-web.yaml',
    'a/configmap-a.b.yaml',
    'a/configmap-a-b.yaml',
    '_cluster/namespace-a.yaml',
    'kustomization.yaml',
  ]);
});

test('writeOutDir: kubectl kustomize DIR yields the same objects as the YAML stream', () => {
  const dir = freshDir();
  writeOutDir(dir, everything);
  const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (kubectl.error) {
    console.log('  (kubectl is not on PATH; skipped the kustomize round trip)');
    return;
  }
  assert.is(kubectl.status, 0, kubectl.stderr);
  assert.equal(sorted(parseStream(kubectl.stdout)), sorted(parseStream(toYaml(everything))));
});

test('writeOutDir: removes files it no longer produces, never touches foreign ones', () => {
  const dir = freshDir();
  writeOutDir(dir, everything);
  fs.writeFileSync(path.join(dir, 'README.md'), 'hand written\n');
  fs.writeFileSync(path.join(dir, 'custom.yaml'), 'kind: Foreign\n');
  fs.writeFileSync(path.join(dir, 'nlp', 'notes.txt'), 'mine\n');
  const past = new Date('2001-01-01T00:00:00Z');
  for (const file of ['README.md', 'custom.yaml']) fs.utimesSync(path.join(dir, file), past, past);
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const abandoned = path.join(dir, `.kustomization.yaml.servec-tmp-${dead}`); // a dead process's
  const live = path.join(dir, `.kustomization.yaml.servec-tmp-${process.ppid}`); // a running process's
  fs.writeFileSync(abandoned, 'kind: Partial\n');
  fs.writeFileSync(live, 'kind: Partial\n');
  writeOutDir(dir, fleet);
  assert.not.ok(fs.existsSync(abandoned), 'temp files of dead processes are cleaned up');
  assert.ok(fs.existsSync(live), "a running process's temp file is left to it");
  fs.rmSync(live);
  const files = snapshot(dir);
  const expected = [...planFiles(fleet).keys(), '.servec-manifest', 'README.md', 'custom.yaml', path.join('nlp', 'notes.txt')];
  assert.equal([...files.keys()].sort(), expected.sort());
  assert.is(files.get('README.md'), 'hand written\n');
  assert.is(fs.statSync(path.join(dir, 'custom.yaml')).mtimeMs, past.getTime());
  assert.not.ok(fs.existsSync(path.join(dir, 'default')), 'an emptied namespace directory is removed');
  // A foreign file where servec would write is refused, and left as it was.
  const other = freshDir();
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'kustomization.yaml'), 'resources: [custom.yaml]\n');
  assert.throws(() => writeOutDir(other, fleet), /kustomization\.yaml was not written by servec/);
  assert.equal([...snapshot(other).keys()], ['kustomization.yaml']);
  assert.equal(fs.readdirSync(tmp, { recursive: true }).filter((name) => String(name).includes('servec-tmp')), [], 'no temp files left');
});

test('writeOutDir: unchanged files are not rewritten', () => {
  const dir = freshDir();
  writeOutDir(dir, fleet);
  const past = new Date('2001-01-01T00:00:00Z');
  for (const file of planFiles(fleet).keys()) fs.utimesSync(path.join(dir, file), past, past);
  assert.equal(writeOutDir(dir, fleet), { written: 0, removed: 0 });
  const changed = build(example('fleet', (text) => text.replace('stepWeights: [30]', 'stepWeights: [40]')));
  assert.equal(writeOutDir(dir, changed), { written: 1, removed: 0 });
  for (const file of planFiles(fleet).keys()) {
    const touched = fs.statSync(path.join(dir, file)).mtimeMs !== past.getTime();
    assert.is(touched, file === 'risk/canary-fraud-score.yaml', file);
  }
});

test('checkOutDir: 0 when up to date, 1 with the stale, missing and extra files listed', () => {
  const dir = freshDir();
  const io = captureIo();
  assert.is(checkOutDir(dir, fleet, io), 1);
  writeOutDir(dir, everything);
  const before = snapshot(dir);
  assert.is(checkOutDir(dir, everything, io), 0);
  io.err = '';
  const changed = build([...example('fleet', (text) => text.replace('stepWeights: [30]', 'stepWeights: [40]')), ...example('rest-only')]);
  assert.is(checkOutDir(dir, changed, io), 1);
  assert.match(io.err, /stale {4}risk\/canary-fraud-score\.yaml/);
  assert.match(io.err, /^ {4}- {6}- 30$/m);
  assert.match(io.err, /^ {4}\+ {6}- 40$/m);
  assert.match(io.err, /extra {4}nlp\/deployment-bert-qa-v3\.yaml/);
  assert.equal(snapshot(dir), before, 'check writes nothing');
});

test.run();
