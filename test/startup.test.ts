// bin/servec.js's code cache: it only ever costs speed. A cache file that is damaged, truncated or made
// for another bundle must be ignored (V8 would abort the process on corrupt cached data), and the output
// must be the same with the cache, without it and from the unbundled tsc output.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { servec } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';

const spec = 'examples/resnet/2-canary.yaml';
const cacheDir = mkdtempSync(join(tmpdir(), 'servec-startup-'));
const env = { SERVEC_CACHE_DIR: cacheDir };
const cacheFiles = () => readdirSync(cacheDir).filter((file) => file.endsWith('.bin'));
// After a plain `tsc` the bundle is stale and bin/servec.js runs the tsc output, which keeps no cache.
const bundled = existsSync(join(repoRoot(), 'dist', 'servec.cjs'));
/** Whether bin/servec.js must run the bundle: it exists and tsc has not emitted since (its rule, see stale()). */
function bundleFresh(): boolean {
  const dist = join(repoRoot(), 'dist');
  if (!bundled) return false;
  const built = statSync(join(dist, 'servec.cjs')).mtimeMs;
  // tsc rewrites its build info after every emit: bin/servec.js looks at it first.
  const info = statSync(join(dist, '.tsbuildinfo'), { throwIfNoEntry: false });
  if (info) return info.mtimeMs <= built;
  const inputs: string[] = JSON.parse(readFileSync(join(dist, 'servec.inputs.json'), 'utf8'));
  return inputs.every((input) => (statSync(join(dist, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= built);
}

test.after(() => rmSync(cacheDir, { recursive: true, force: true }));

test('the output is the same from the bundle with and without its code cache and from the tsc output', () => {
  const plain = servec(['build', spec], { env: { SERVEC_BUNDLE: '0' } });
  assert.is(plain.status, 0, plain.stderr);
  for (const run of [servec(['build', spec], { env }), servec(['build', spec], { env }), servec(['build', spec], { env: { SERVEC_CODE_CACHE: '0' } })]) {
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stdout, plain.stdout);
  }
});

test('a fresh bundle is what runs: a build leaves its code cache', () => {
  if (!bundleFresh()) return; // the tsc output runs, and keeps no cache
  // Any failure to load the bundle falls back to the tsc output quietly, with the same output: only
  // the cache file tells that the bundle ran.
  assert.is(cacheFiles().length, 1, 'bin/servec.js fell back to the tsc output although the bundle is fresh');
});

test('a cache made for another bundle is not used: rewriting the bundle (a new change time) replaces it', () => {
  if (!bundleFresh() || cacheFiles().length !== 1) return;
  const path = join(cacheDir, cacheFiles()[0]!);
  const before = readFileSync(path);
  const bundle = join(repoRoot(), 'dist', 'servec.cjs');
  writeFileSync(bundle, readFileSync(bundle)); // same bytes, but to V8 possibly another script: any write counts
  const run = servec(['build', spec], { env });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout, servec(['build', spec], { env: { SERVEC_BUNDLE: '0' } }).stdout);
  assert.not.ok(readFileSync(path).equals(before), 'the cache file was made again for the rewritten bundle');
  assert.is(cacheFiles().length, 1);
});

test('a successful build leaves one cache file, and damaged or truncated ones are ignored', () => {
  const files = cacheFiles();
  if (!bundled || files.length === 0) return; // the tsc output ran: nothing to check
  assert.is(files.length, 1);
  const path = join(cacheDir, files[0]!);
  const good = readFileSync(path);
  const expected = servec(['build', spec], { env: { SERVEC_BUNDLE: '0' } }).stdout;
  const damaged = Buffer.from(good);
  for (let i = 64; i < damaged.length; i += 997) damaged[i] = damaged[i]! ^ 0x5a; // in V8's payload, past the header
  for (const bytes of [damaged, good.subarray(0, good.length >> 1), good.subarray(0, 10), Buffer.alloc(0)]) {
    writeFileSync(path, bytes);
    const run = servec(['build', spec], { env });
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stdout, expected);
    // The bad file is replaced by a good one.
    assert.ok(readFileSync(path).length > 1000);
  }
});

test.run();
