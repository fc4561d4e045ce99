/** `servec watch` on real files: in process through startWatch, and as the real CLI in a child process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../src/cli/io.js';
import { DEFAULT_DEBOUNCE_MS, startWatch, type BuildEvent, type WatchHandle } from '../src/cli/commands/watch.js';
import { repoRoot } from './helpers/paths.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'servec-watch-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A small valid spec; `rev` shows up as a label on every object it emits. */
const spec = (name: string, rev: string) => `apiVersion: servec.dev/v1alpha1
kind: ModelService
metadata:
  name: ${name}
  labels: {rev: ${rev}}
spec:
  protocols: [rest]
  storage: {uri: s3://models/${name}, endpoint: minio.storage.svc:9000, tls: false, credentials: {secret: {name: creds}}}
  gateway: {hosts: [${name}.example.com]}
  versions:
    - {name: v1, modelVersion: 1}
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails after `ms`. */
async function until(condition: () => boolean, what: string, ms = 5000, every = 2): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) assert.unreachable(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

function snapshot(dir: string): string {
  const lines: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) lines.push(`${full} ${fs.statSync(full).mtimeMs}\n${fs.readFileSync(full, 'utf8')}`);
  }
  return lines.sort().join('\n');
}

function workspace(name: string) {
  const root = path.join(tmp, name);
  const specs = path.join(root, 'specs');
  fs.mkdirSync(specs, { recursive: true });
  fs.writeFileSync(path.join(specs, 'churn.yaml'), spec('churn', 'r0'));
  fs.writeFileSync(path.join(specs, 'notes.txt'), 'not a spec\n');
  const out = path.join(root, 'out');
  return { root, specs, out, service: path.join(out, 'default', 'service-churn.yaml') };
}

function captureIo(): Io & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), env: {}, stderrIsTTY: false };
  return io;
}

test('startWatch: builds, follows edits, atomic saves, bad saves and new files', async () => {
  const ws = workspace('in-process');
  const io = captureIo();
  const builds: BuildEvent[] = [];
  const handle: WatchHandle = startWatch([ws.specs], { 'out-dir': ws.out }, io, { onBuild: (event) => builds.push(event) });
  try {
    await handle.ready;
    assert.match(read(ws.service), 'rev: r0', 'the initial build wrote the out-dir');
    assert.ok(fs.existsSync(path.join(ws.out, 'kustomization.yaml')));
    assert.match(io.err, /built 1 spec → 11 objects in \d+ ms/);

    const churn = path.join(ws.specs, 'churn.yaml');
    fs.writeFileSync(churn, spec('churn', 'r1'));
    await until(() => read(ws.service).includes('rev: r1'), 'a plain save');

    fs.writeFileSync(`${churn}.tmp`, spec('churn', 'r2')); // an editor's atomic save
    fs.renameSync(`${churn}.tmp`, churn);
    await until(() => read(ws.service).includes('rev: r2'), 'an atomic-rename save');

    const good = snapshot(ws.out);
    const failures = builds.filter((b) => !b.ok).length;
    fs.writeFileSync(churn, spec('churn', 'r3').replace('versions:', 'versionz:'));
    await until(() => builds.filter((b) => !b.ok).length > failures, 'the failed build');
    assert.match(io.err, /error\[SV\d+\]/);
    assert.match(io.err, /build failed; left .*out as it was/);
    assert.is(io.err.match(/\d+ errors? in \d+ files?/g)?.length, 1, 'the errors are counted once (by the diagnostics)');
    assert.is(snapshot(ws.out), good, 'the previous output is untouched');

    fs.writeFileSync(churn, spec('churn', 'r4'));
    await until(() => read(ws.service).includes('rev: r4'), 'the fixed save');

    fs.writeFileSync(path.join(ws.specs, 'fraud.yml'), spec('fraud', 'r0'));
    await until(() => read(path.join(ws.out, 'default', 'service-fraud.yaml')).includes('rev: r0'), 'a new spec file');
    fs.unlinkSync(path.join(ws.specs, 'fraud.yml'));
    await until(() => !fs.existsSync(path.join(ws.out, 'default', 'service-fraud.yaml')), 'a deleted spec file');

    // Latency from a save to the new output on disk: 20 saves with a pause before each (as a person
    // saves), then 10 back to back (a formatter rewriting the file just after the editor saved it).
    for (const [pause, saves] of [[60, 20], [0, 10]] as const) {
      const latencies: number[] = [];
      for (let i = 0; i < saves; i++) {
        await sleep(pause);
        const started = performance.now();
        fs.writeFileSync(churn, spec('churn', `p${pause}x${i}`));
        await until(() => read(ws.service).includes(`rev: p${pause}x${i}`), `edit ${i}`, 5000, 1);
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      const median = (latencies[saves / 2 - 1]! + latencies[saves / 2]!) / 2;
      const how = pause ? `${pause} ms apart` : 'back to back';
      console.log(`  save → out-dir written, ${how}: median ${median.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (${saves} saves, debounce ${DEFAULT_DEBOUNCE_MS} ms)`);
      assert.ok(median < 150, `median latency ${median} ms`);
    }
  } finally {
    await handle.close();
  }
  assert.equal(fs.readdirSync(path.join(tmp, 'in-process')).sort(), ['out', 'specs'], 'no temp files');
});

test('startWatch: --exec runs one command at a time and ends with the latest build', async () => {
  const ws = workspace('exec');
  const log = path.join(ws.root, 'log');
  // Records overlapping runs, and the rev each run received.
  const command = `cd '${ws.root}' && [ -e lock ] && echo overlap >> log; touch lock; sleep 0.1; grep -o 'rev: r[0-9]*' | head -1 >> log; rm lock`;
  const io = captureIo();
  const handle = startWatch([path.join(ws.specs, 'churn.yaml')], { exec: command, debounce: '5' }, io);
  try {
    await handle.ready;
    for (let i = 1; i <= 5; i++) {
      fs.writeFileSync(path.join(ws.specs, 'churn.yaml'), spec('churn', `r${i}`));
      await sleep(30);
    }
    await until(() => read(log).includes('rev: r5'), 'the latest build to reach --exec');
    await until(() => !fs.existsSync(path.join(ws.root, 'lock')), 'the last run to finish');
    const runs = read(log).trim().split('\n');
    assert.not.ok(runs.includes('overlap'), read(log));
    assert.ok(runs.length < 6, `intermediate builds are skipped: ${runs.join(', ')}`);
    assert.is(runs[0], 'rev: r0');
    assert.is(runs.at(-1), 'rev: r5');
    assert.not.match(io.out, /rev:/, 'with --exec the YAML is not printed');
  } finally {
    await handle.close();
  }
});

test('servec watch (CLI): builds, rebuilds, and exits 0 on SIGTERM within 1 s, leaving no temp files', async () => {
  const ws = workspace('cli');
  const child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'servec.js'), 'watch', 'specs', '--out-dir', 'out'], { cwd: ws.root });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await until(() => stderr.includes('watching specs'), 'the watcher to start');
    assert.match(read(ws.service), 'rev: r0');
    fs.writeFileSync(path.join(ws.specs, 'churn.yaml'), spec('churn', 'r1'));
    await until(() => read(ws.service).includes('rev: r1'), 'the rebuild');
  } finally {
    const stopping = performance.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(1000).then(() => 'timeout')]);
    if (code === 'timeout') child.kill('SIGKILL');
    assert.is(code, 0, stderr);
    assert.ok(performance.now() - stopping < 1000);
  }
  assert.match(stderr, /stopped/);
  assert.equal(fs.readdirSync(ws.root).sort(), ['out', 'specs']);
  assert.not.ok(fs.readdirSync(ws.out, { recursive: true }).some((f) => String(f).includes('servec-tmp')));
});

test('startWatch: a first build that fails has no previous output to keep', async () => {
  const ws = workspace('first-fails');
  fs.writeFileSync(path.join(ws.specs, 'churn.yaml'), spec('churn', 'r0').replace('versions:', 'versionz:'));
  const io = captureIo();
  const handle = startWatch([ws.specs], {}, io);
  try {
    await handle.ready;
  } finally {
    await handle.close();
  }
  assert.match(io.err, /build failed; no output yet/);
  assert.not.match(io.err, /kept the previous output/);
  assert.is(io.out, '');
});

test('startWatch: - (standard input) is refused', () => {
  assert.throws(() => startWatch(['-'], {}, captureIo()), /cannot read - \(standard input\)/);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`servec watch (CLI): exits at once on ${signal}, even while an --exec command runs`, async () => {
    const ws = workspace(`stop-${signal}`);
    const bin = path.join(repoRoot(), 'bin', 'servec.js');
    // The command outlives us unless watch stops its whole process group: `sleep` holds the pipes.
    const child = spawn(process.execPath, [bin, 'watch', 'specs', '--exec', 'cat >/dev/null; sleep 30 | cat'], { cwd: ws.root });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => stderr.includes('watching specs'), 'the watcher to start');
    await sleep(50);
    const stopping = performance.now();
    child.kill(signal);
    const code = await Promise.race([exited, sleep(3000).then(() => 'timeout')]);
    const ms = performance.now() - stopping;
    if (code === 'timeout') child.kill('SIGKILL');
    assert.is(code, 0, stderr);
    assert.ok(ms < 400, `took ${ms.toFixed(0)} ms to stop`);
    assert.match(stderr, /stopped/);
  });
}

test('servec watch (CLI): a missing input is a usage error', async () => {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'servec.js'), 'watch', path.join(tmp, 'nope.yaml')]);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.is(code, 2);
  assert.match(stderr, /nope\.yaml: no such file or directory/);
});

test.run();
