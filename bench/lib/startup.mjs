// Section (a): the alternatives to bin/servec.js's own V8 code cache, run on the same bundle so that the
// bench keeps showing whether the hand-made loader still earns its keep:
//   - Node's module.enableCompileCache() (Node >= 22.1) with a plain require() of dist/servec.cjs;
//   - a V8 startup snapshot with the bundle already loaded (node --build-snapshot), run directly as
//     `node --snapshot-blob BLOB build FILE`: a lower bound, since `servec` as a command would need a
//     second process to pass that flag. Built here for this Node binary, and used only when its output
//     equals bin/servec.js's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './proc.mjs';
import { median } from './stats.mjs';

/** Builtins a build has no use for: each costs start-up (node:crypto alone ~10 M instructions). */
export const UNNEEDED_BUILTINS = ['crypto', 'zlib', 'stream', 'net', 'tty', 'readline', 'http', 'https'];

/**
 * Median minor page faults of each command, `runs` interleaved runs each (faults.cjs preloaded): on a
 * virtual machine the first touch of a fresh page is expensive, and this count does not vary with
 * the machine's load the way milliseconds do. Each command is { label, argv: [node, ...args], env? }.
 */
export function pageFaults(commands, runs) {
  const file = join(tmpdir(), `servec-bench-faults-${process.pid}.txt`);
  const counts = commands.map(() => []);
  try {
    for (let round = 0; round < runs; round++) {
      commands.forEach((command, i) => {
        rmSync(file, { force: true });
        const [node, ...args] = command.argv;
        const child = spawnSync(node, ['--require', here('faults.cjs'), ...args], {
          cwd: root,
          env: { ...process.env, ...command.env, SERVEC_BENCH_FAULTS: file },
          stdio: 'ignore',
        });
        if (child.status === 0) counts[i].push(Number(readFileSync(file, 'utf8').trim()));
      });
    }
  } finally {
    rmSync(file, { force: true });
  }
  return counts.map((c) => (c.length > 0 ? median(c) : NaN));
}

const here = (file) => join(root, 'bench', 'lib', 'startup', file);

/** Extra commands for section (a), each { label, argv, env? }; notes why a variant is missing. */
export function startupAlternatives(cacheDir, spec, note) {
  const node = process.execPath;
  const variants = [];
  const expected = spawnSync(node, [join(root, 'bin', 'servec.js'), 'build', spec], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 }).stdout;
  const same = (argv, env) => {
    const child = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 << 20 });
    return child.status === 0 && child.stdout === expected ? undefined : `exit ${child.status}: ${String(child.stderr).trim().split('\n').pop()}`;
  };

  if (typeof createRequire(import.meta.url)('node:module').enableCompileCache === 'function') {
    const env = { SERVEC_BENCH_COMPILE_CACHE: join(cacheDir, 'node-compile-cache') };
    const argv = [node, here('compile-cache.cjs'), 'build', spec];
    const problem = same(argv, env); // also fills the compile cache
    if (problem) note(`module.enableCompileCache(): not measured (${problem})`);
    else variants.push({ label: '  alt: module.enableCompileCache() + require(bundle)', argv, env });
  } else note(`module.enableCompileCache(): not in Node ${process.version} (needs >= 22.1)`);

  const blob = join(cacheDir, `startup-${process.version}-${process.arch}.blob`);
  rmSync(blob, { force: true });
  mkdirSync(cacheDir, { recursive: true });
  const built = spawnSync(node, ['--snapshot-blob', blob, '--build-snapshot', here('snapshot-entry.cjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SERVEC_BENCH_BUNDLE: join(root, 'dist', 'servec.cjs') },
  });
  const argv = [node, '--snapshot-blob', blob, 'build', spec];
  const problem = built.status === 0 ? same(argv, {}) : `--build-snapshot failed: ${String(built.stderr).trim().split('\n').pop()}`;
  if (problem) note(`startup snapshot: not measured (${problem})`);
  else variants.push({ label: '  alt: startup snapshot (node --snapshot-blob), direct', argv });
  return variants;
}
