#!/usr/bin/env node
// servec benchmark: `npm run bench` (full, ~5-10 min on 2 cores) or `npm run bench -- --quick` (< 1 min).
// A benchmark, not a test: it prints a report and always exits 0. The machine is assumed noisy, so
// figures are medians over repeated runs and, where it matters, ratios against baselines measured in
// the same run (e.g. `node -e 0`), interleaved with the runs they are compared to.
//
//   --quick        fewer runs; no 10,000-spec sets and no helm/kustomize comparisons
//   --only=abcde   run only these sections (a start-up, b scale, c in-process, d watch, e comparisons)
//
// See BENCHMARKS.md for what each figure means.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { findHelm, findKustomize, prepareComparison } from './lib/compare.mjs';
import { bundleProblem } from './lib/fresh.mjs';
import { specSet } from './lib/generate.mjs';
import { pageFaults, startupAlternatives, UNNEEDED_BUILTINS } from './lib/startup.mjs';
import { runtimeLoads, staticGraph } from './lib/graph.mjs';
import { hasTime, ProcessError, root, run } from './lib/proc.mjs';
import { count, mib, median, ms, quantile, ratio, table, us } from './lib/stats.mjs';
import { watchLatency } from './lib/watch.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? 'abcde';
const unknown = args.filter((a) => a !== '--quick' && !a.startsWith('--only='));
if (unknown.length > 0) console.log(`(ignoring unknown arguments: ${unknown.join(' ')})`);

const config = quick
  ? { startupRuns: 7, sizes: [1, 100, 1000], runs: { 1: 5, 100: 3, 1000: 1 }, inprocess: [300, 3], watchRounds: 10, watchNoDebounce: false, compare: false }
  : { startupRuns: 15, sizes: [1, 100, 1000, 10000], runs: { 1: 9, 100: 5, 1000: 3, 10000: 2 }, inprocess: [1000, 5], watchRounds: 20, watchNoDebounce: true, compare: true };

const cacheDir = join(root, 'bench', '.cache');
mkdirSync(cacheDir, { recursive: true });
const node = process.execPath;
const bin = join(root, 'bin', 'servec.js');
const canary = 'examples/resnet/2-canary.yaml';
const out = (text = '') => process.stdout.write(`${text}\n`);
const note = (text) => out(`  ${text}`);
const began = performance.now();

out(`servec benchmark${quick ? ' (--quick)' : ''}: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out(`node ${process.version}, ${process.platform}-${process.arch}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'})`);
const stale = bundleProblem();
out(stale ? `WARNING: bin/servec.js will not use the bundle: ${stale}. Run npm run build first.` : 'bundle: dist/servec.cjs is up to date (bin/servec.js runs it)');

/** Runs a section; a failure is reported and the benchmark goes on. */
async function section(letter, title, body) {
  if (!only.includes(letter)) return;
  out();
  out(`(${letter}) ${title}`);
  const started = performance.now();
  try {
    await body();
  } catch (error) {
    note(`section failed: ${error instanceof ProcessError ? error.message : error?.stack ?? error}`);
  }
  const problem = bundleProblem();
  if (problem && !stale) note(`WARNING: the bundle went stale during this section (${problem}); its figures may mix in the unbundled start-up.`);
  note(`[${((performance.now() - started) / 1000).toFixed(0)} s]`);
}

/** Interleaves the commands: each round runs each command once. Returns ms samples per command. */
function interleaved(commands, rounds, options = {}) {
  const samples = commands.map(() => []);
  const rss = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((command, i) => {
      const env = typeof command.env === 'function' ? command.env() : command.env;
      const result = run(command.argv, { env: env ? { ...process.env, ...env } : process.env, ...options });
      samples[i].push(result.ms);
      rss[i].push(result.rssKB);
    });
  }
  return { samples, rss };
}

// ---------------------------------------------------------------------------------------------------
await section('a', `start-up: one small build vs node -e 0 (median of ${config.startupRuns} interleaved runs, stdout to /dev/null)`, () => {
  const commands = [
    { label: 'node -e 0', argv: [node, '-e', '0'] },
    { label: `servec build ${canary}`, argv: [node, bin, 'build', canary] },
    { label: 'servec --version', argv: [node, bin, '--version'] },
    { label: '  same build, no code cache (SERVEC_CODE_CACHE=0)', argv: [node, bin, 'build', canary], env: { SERVEC_CODE_CACHE: '0' } },
    { label: '  same build, unbundled tsc output (SERVEC_BUNDLE=0)', argv: [node, bin, 'build', canary], env: { SERVEC_BUNDLE: '0' } },
    ...startupAlternatives(cacheDir, canary, note),
  ];
  interleaved(commands, 1); // warm-up: the OS file cache and the code cache
  const { samples } = interleaved(commands, config.startupRuns);
  const base = median(samples[0]);
  out(table([['command', 'median', 'min', '× node -e 0'], ...commands.map((c, i) => [c.label, ms(median(samples[i])), ms(Math.min(...samples[i])), ratio(median(samples[i]) / base)])]));
  note(`start-up ratio: ${ratio(median(samples[1]) / base)} (target ≤ 1.25×); "unbundled tsc output" is the start-up before the bundle`);
  note('the rows after it are the alternatives to bin/servec.js\'s code cache, run on the same bundle (bench/lib/startup.mjs)');
  const faults = pageFaults(commands.slice(0, 3), 3); // node -e 0, the build, --version
  note(`minor page faults (median of 3, preloaded bench/lib/startup/faults.cjs): node -e 0 ${count(faults[0])}, build ${count(faults[1])} (+${count(faults[1] - faults[0])}), --version ${count(faults[2])} (+${count(faults[2] - faults[0])})`);
  if (process.env.NODE_EXTRA_CA_CERTS) note(`NODE_EXTRA_CA_CERTS is set: every node process, node -e 0 included, parses ${process.env.NODE_EXTRA_CA_CERTS} at start-up, which makes the ratios smaller than without it`);

  const graph = staticGraph();
  if (graph.unavailable) note(`static import graph: not available (${graph.unavailable})`);
  else {
    note(`static import graph of the bundle: ${graph.eager.size - 1} modules run at start-up, ${graph.lazyOnly.length} only behind import() (${graph.lazyOnly.map((f) => f.replace(/^dist\/src\//, '')).join(', ')})`);
    note(graph.problems.length === 0 ? 'check: start-up imports no chokidar, @kubernetes/client-node or json-schema-to-typescript: ok' : `check FAILED: start-up reaches ${graph.problems.join(', ')}`);
  }
  const loads = runtimeLoads(['build', canary]);
  if (loads.unavailable) note(`modules loaded by a real build: not available (${loads.unavailable})`);
  else {
    const outside = loads.files.length === 0 ? 'no file through require() (yaml and the ajv runtime are inside dist/servec.cjs)' : `${loads.files.length} files through require(), from ${loads.packages.join(', ') || 'no package'}`;
    note(`a real build loaded ${loads.builtins.length} builtin modules and ${outside}`);
    note(loads.problems.length === 0 ? 'check: the build loaded none of chokidar, @kubernetes/client-node, json-schema-to-typescript: ok' : `check FAILED: the build loaded ${loads.problems.join(', ')}`);
    const unneeded = loads.builtins.filter((b) => UNNEEDED_BUILTINS.includes(b));
    note(unneeded.length === 0 ? `check: the build loaded none of the builtins ${UNNEEDED_BUILTINS.join(', ')}: ok` : `check FAILED: the build loaded the builtins ${unneeded.join(', ')}`);
  }
});

// ---------------------------------------------------------------------------------------------------
await section('b', `scale: whole-process builds of generated specs (${config.sizes.map(count).join(', ')}), a directory of files vs one multi-document file`, () => {
  const sets = new Map();
  for (const n of config.sizes) {
    const started = performance.now();
    sets.set(n, specSet(cacheDir, n));
    const took = performance.now() - started;
    if (took > 500) note(`generated ${count(n)} specs into bench/.cache in ${ms(took)}`);
  }
  // Object counts, and a check that every generated spec is valid: `servec validate` prints both.
  const objects = new Map();
  for (const n of config.sizes) {
    const child = spawnSync(node, [bin, 'validate', sets.get(n).dir], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const match = /^(\d+) specs? valid \((\d+) objects\)/m.exec(child.stdout);
    if (child.status !== 0 || !match) throw new ProcessError(`servec validate of ${count(n)} generated specs failed (${child.status}): ${child.stderr.slice(0, 500)}`);
    objects.set(n, Number(match[2]));
  }
  note(`peak RSS from ${hasTime ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (bench/lib/rss-wrapper.mjs)'}; every run's exit status is checked`);
  const rows = [['N specs', 'input', 'objects', 'runs', 'wall', '× node -e 0', 'per spec beyond 1st', 'objects/s', 'peak RSS']];
  const wall = new Map();
  let base = NaN;
  for (const n of config.sizes) {
    const runs = config.runs[n] ?? 1;
    const commands = [
      { argv: [node, bin, 'build', sets.get(n).dir] },
      { argv: [node, bin, 'build', sets.get(n).file] },
      ...(n === config.sizes[0] ? [{ argv: [node, '-e', '0'] }] : []),
    ];
    if (n === config.sizes[0]) interleaved(commands, 1, { rss: true }); // warm-up
    const { samples, rss } = interleaved(commands, runs, { rss: true, timeoutMs: 900_000 });
    if (n === config.sizes[0]) base = median(samples[2]);
    for (const [i, input] of ['directory', 'one file'].entries()) {
      const w = median(samples[i]);
      wall.set(`${n} ${input}`, w);
      const first = wall.get(`${config.sizes[0]} ${input}`);
      const perSpec = n > config.sizes[0] ? (w - first) / (n - config.sizes[0]) : NaN;
      wall.set(`${n} ${input} per-spec`, perSpec);
      rows.push([count(n), input, count(objects.get(n)), runs, ms(w), ratio(w / base), Number.isFinite(perSpec) ? us(perSpec * 1000) : '-', count(objects.get(n) / (w / 1000)), mib(median(rss[i]))]);
    }
  }
  out(table(rows));
  note(`node -e 0 under the same wrapper: ${ms(base)}. per spec beyond 1st = (wall(N) - wall(1)) / (N - 1); objects/s = objects(N) / wall(N)`);
  const [small, large] = [1000, 10000];
  if (config.sizes.includes(small) && config.sizes.includes(large)) {
    for (const input of ['directory', 'one file']) {
      const growth = wall.get(`${large} ${input} per-spec`) / wall.get(`${small} ${input} per-spec`);
      note(`growth, ${input}: per-spec(10k) / per-spec(1k) = ${ratio(growth)} ${growth <= 1.2 ? '(≤ 1.2: linear)' : '(> 1.2: SUPERLINEAR)'}`);
    }
  } else note('growth per-spec(10k)/per-spec(1k): skipped (--quick has no 10k set)');
});

// ---------------------------------------------------------------------------------------------------
await section('c', `in-process: warm compile() and serialization of ${count(config.inprocess[0])} generated specs (median of ${config.inprocess[1]} rounds after 2 warm-up rounds)`, () => {
  const child = spawnSync(node, ['--expose-gc', join(root, 'bench/lib/inprocess.mjs'), ...config.inprocess.map(String)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (child.status !== 0) throw new ProcessError(`bench/lib/inprocess.mjs exited with ${child.status}: ${child.stderr.slice(-800)}`);
  const { n, objects, bytes, samples } = JSON.parse(child.stdout.trim().split('\n').pop());
  const c = median(samples.compile);
  const s = median(samples.serialize);
  const y = median(samples.yaml);
  out(
    table([
      ['step', 'median', 'specs/s', 'objects/s', 'share'],
      ['compile()  (parse → validate → … → assemble)', ms(c), count(n / (c / 1000)), count(objects / (c / 1000)), `${((100 * c) / (c + s)).toFixed(0)}%`],
      ['toYaml()   (servec serializer)', ms(s), count(n / (s / 1000)), count(objects / (s / 1000)), `${((100 * s) / (c + s)).toFixed(0)}%`],
      ['compile + toYaml', ms(c + s), count(n / ((c + s) / 1000)), count(objects / ((c + s) / 1000)), '100%'],
      ["yaml's stringify() of the same objects", ms(y), count(n / (y / 1000)), count(objects / (y / 1000)), '-'],
    ]),
  );
  note(`${count(objects)} objects, ${(bytes / 1048576).toFixed(1)} MiB of YAML (${((bytes / 1048576) / (s / 1000)).toFixed(0)} MiB/s); yaml.stringify / toYaml = ${ratio(y / s)}`);
});

// ---------------------------------------------------------------------------------------------------
await section('d', `watch: save → out-dir latency (${config.watchRounds} edits of one spec)`, async () => {
  const variants = [
    { label: 'servec watch SPEC --out-dir DIR (default debounce)', args: [] },
    ...(config.watchNoDebounce ? [{ label: 'servec watch SPEC --out-dir DIR --debounce 0', args: ['--debounce', '0'] }] : []),
  ];
  const rows = [['command', 'median', 'p95', 'min', 'max']];
  for (const variant of variants) {
    const result = await watchLatency(join(cacheDir, 'watch'), { rounds: config.watchRounds, extraArgs: variant.args });
    if (result.unavailable) {
      note(`watch: not available (${result.unavailable})`);
      return;
    }
    const xs = result.samples;
    rows.push([variant.label, ms(median(xs)), ms(quantile(xs, 0.95)), ms(Math.min(...xs)), ms(Math.max(...xs))]);
  }
  out(table(rows));
  note('from writing the spec to the Deployment file in DIR holding the edit (polled every ~1 ms)');
});

// ---------------------------------------------------------------------------------------------------
await section('e', 'comparisons: servec vs helm 3 template vs kustomize on equivalent inputs (whole process, median)', () => {
  if (!config.compare) {
    note('skipped with --quick');
    return;
  }
  const helm = findHelm(cacheDir, note);
  const kustomize = findKustomize();
  note(helm.unavailable ? `helm: not available (${helm.unavailable})` : `helm ${helm.version} (${helm.path.replace(root, '')})`);
  note(kustomize ? `kustomize: ${kustomize.name}` : 'kustomize: not available (neither kustomize nor kubectl on the PATH)');
  note('N copies of examples/resnet/2-canary.yaml (15 objects each): N specs / N overlays (namePrefix, namespace, patch) of one base / a chart rendering N services');
  note('warm: the usual run (servec with its code cache); cold: servec\'s first run after an install or upgrade, with an empty');
  note('code cache (a fresh SERVEC_CACHE_DIR per run; that run also writes the cache). helm has no such cache: one column serves both.');
  const sizes = [1, 100, 1000];
  const runs = { 1: 7, 100: 5, 1000: 3 };
  const KUSTOMIZE_TIMEOUT = 120_000;
  const rows = [['N', 'servec warm', 'servec cold', 'helm', 'warm / helm', 'cold / helm', 'servec peak', 'helm peak', kustomize?.name ?? 'kustomize', 'warm / kustomize']];
  let kustomizeGaveUp = '';
  let fresh = 0;
  const coldDir = join(cacheDir, 'cold-code-cache');
  for (const n of sizes) {
    const paths = prepareComparison(join(cacheDir, `compare-${n}`), n);
    const servec = [node, bin, 'build', paths.specs];
    const commands = [
      { argv: servec },
      {
        argv: servec,
        env: () => {
          rmSync(coldDir, { recursive: true, force: true });
          return { SERVEC_CACHE_DIR: join(coldDir, String(fresh++)) };
        },
      },
    ];
    if (!helm.unavailable) commands.push({ argv: [helm.path, 'template', 'bench', paths.chart] });
    interleaved(commands, 1, { timeoutMs: 300_000 }); // warm-up: the OS file cache, and the code cache of the warm row
    const { samples, rss } = interleaved(commands, runs[n], { timeoutMs: 300_000, rss: true });
    rmSync(coldDir, { recursive: true, force: true });
    const [warm, cold, helmMs] = [0, 1, 2].map((i) => (samples[i] ? median(samples[i]) : NaN));
    let kustomizeMs = NaN;
    let kustomizeText = kustomize ? 'n/a' : '-';
    if (kustomize && !kustomizeGaveUp) {
      try {
        const xs = [];
        for (let r = 0; r < Math.min(runs[n], 3); r++) xs.push(run([...kustomize.command, paths.kustomize], { timeoutMs: KUSTOMIZE_TIMEOUT }).ms);
        kustomizeMs = median(xs);
        kustomizeText = ms(kustomizeMs);
      } catch (error) {
        kustomizeGaveUp = `${kustomize.name} at N=${count(n)}: ${error.message}`;
        kustomizeText = `> ${ms(KUSTOMIZE_TIMEOUT)}`;
      }
    } else if (kustomizeGaveUp) kustomizeText = 'skipped';
    rows.push([
      count(n),
      ms(warm),
      ms(cold),
      ms(helmMs),
      ratio(warm / helmMs),
      ratio(cold / helmMs),
      mib(median(rss[0])),
      rss[2] ? mib(median(rss[2])) : '-',
      kustomizeText,
      Number.isFinite(kustomizeMs) ? ratio(warm / kustomizeMs) : '-',
    ]);
  }
  out(table(rows));
  if (kustomizeGaveUp) note(`stopped running kustomize: ${kustomizeGaveUp}`);
  note('ratios below 1 mean servec is faster; peak = median peak RSS; 10,000 is not compared (kustomize is superlinear)');
});

out();
out(`done in ${((performance.now() - began) / 1000).toFixed(0)} s`);
process.exitCode = 0;
