// bin/servec.js writes its output with fs.writeSync on descriptors 1 and 2, not through process.stdout.
// These run the real command into pipes: a reader that leaves early (EPIPE), a pipe made non-blocking
// (EAGAIN: the rest goes through the stream), and outputs far larger than a pipe holds.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'servec-pipes-'));
const bin = join(repoRoot(), 'bin', 'servec.js');
const example = readFileSync(join(repoRoot(), 'examples/resnet/2-canary.yaml'), 'utf8');
/** A multi-document file of `count` copies of the canary example, each with a name and host of its own. */
function specs(count: number): string {
  const file = join(tmp, `specs-${count}.yaml`);
  const copy = (i: number) => example.replace('name: resnet-serving', `name: resnet-${i}`).replace('resnet.models.example.com', `resnet-${i}.models.example.com`);
  writeFileSync(file, Array.from({ length: count }, (_, i) => copy(i)).join('---\n'));
  return file;
}
const small = specs(100); // ~1.8 MB of YAML: more than a pipe or socket buffer holds
/** What the build writes to a regular file, the reference for what goes through pipes. */
/** What a build of `file` writes to a file (built once per file). */
const outputs = new Map<string, string>();
function expected(file: string): string {
  let text = outputs.get(file);
  if (text === undefined) {
    const out = join(tmp, 'expected.yaml');
    const child = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" build "${file}" > "${out}"`], { encoding: 'utf8' });
    assert.is(child.status, 0, child.stderr);
    outputs.set(file, (text = readFileSync(out, 'utf8')));
  }
  return text;
}

interface Piped {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs servec with stdout into a pipe that is left unread until servec has started writing and
 * `pauseMs` more have passed (so the pipe is full, whatever the build took), then read to the end.
 */
function slowlyRead(args: string[], options: { pauseMs: number; nodeArgs?: string[] }): Promise<Piped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.pause();
    const started = setInterval(() => {
      if (child.stdout.readableLength === 0 && child.exitCode === null) return;
      clearInterval(started);
      setTimeout(() => child.stdout.resume(), options.pauseMs);
    }, 10);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr }));
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('a reader that stops early (| head -1): the build ends quietly with its own status', () => {
  // The shell's pipe, as a user has it; the status of servec is written to a file by the subshell.
  const status = join(tmp, 'status');
  const stderr = join(tmp, 'stderr');
  const script = `("${process.execPath}" "${bin}" build "${small}" 2> "${stderr}"; echo $? > "${status}") | head -1`;
  const child = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  assert.is(child.stdout, 'apiVersion: v1\n');
  assert.is(readFileSync(status, 'utf8').trim(), '0');
  assert.is(readFileSync(stderr, 'utf8'), '', 'no stack trace, no message');
});

test('a reader that closes the pipe after the first chunk: no stack trace', async () => {
  const result = await new Promise<Piped>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', small], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8');
      child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: first, stderr }));
  });
  assert.ok(result.stdout.startsWith('apiVersion: v1\n'));
  assert.is(result.stderr, '');
  assert.is(result.status, 0);
});

test('a non-blocking pipe that fills up (EAGAIN): the rest of the output goes through the stream, whole and in order', async () => {
  // Creating process.stdout on a pipe puts the pipe in non-blocking mode (libuv), as another program
  // sharing the pipe may have done; the reader then waits, so the pipe is full when servec writes.
  const nonBlocking = join(tmp, 'non-blocking.cjs');
  writeFileSync(nonBlocking, 'process.stdout;\n');
  const result = await slowlyRead(['build', small], { pauseMs: 300, nodeArgs: ['--require', nonBlocking] });
  assert.is(result.stderr, '');
  assert.is(result.status, 0);
  assert.ok(result.stdout === expected(small), 'the output through the pipe equals the output to a file');
});

test('tens of megabytes through a pipe read slowly: complete, in order, nothing on stderr', async () => {
  // One build only (a second, for a byte-wise reference, would double the time): every document of
  // every spec is there, whole; the small builds above are compared byte for byte.
  const perSpec = expected(small).split('\n---\n').length / 100;
  const large = specs(1100);
  const result = await slowlyRead(['build', large], { pauseMs: 200 });
  assert.is(result.stderr, '');
  assert.is(result.status, 0);
  assert.ok(result.stdout.length > 20_000_000, `${result.stdout.length} bytes`);
  const documents = result.stdout.split('\n---\n');
  assert.is(documents.length, 1100 * perSpec);
  assert.ok(
    documents.every((document) => document.startsWith('apiVersion: ')),
    'every document is whole',
  );
  assert.ok(result.stdout.endsWith('\n'));
});

test.run();
