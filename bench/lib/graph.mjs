// Checks what `servec build` loads: statically, from the bundle's import graph (dist/servec.meta.json,
// written by scripts/build.mjs), and at run time, from a build run under bench/lib/loaded.cjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startupGraph } from '../../scripts/startup-graph.mjs';
import { root } from './proc.mjs';

export const FORBIDDEN = ['chokidar', '@kubernetes/client-node', 'json-schema-to-typescript'];

/** { eager: modules reachable without import(), problems: string[] } or { unavailable }. */
export function staticGraph() {
  const metaPath = join(root, 'dist/servec.meta.json');
  if (!existsSync(metaPath)) return { unavailable: 'dist/servec.meta.json is missing (run npm run build)' };
  const { inputs } = JSON.parse(readFileSync(metaPath, 'utf8'));
  const { eager, problems } = startupGraph(inputs, FORBIDDEN);
  const lazyOnly = Object.entries(inputs).filter(([file]) => !eager.has(file)).map(([file]) => file);
  return { eager, lazyOnly, problems, total: Object.keys(inputs).length };
}

/** What a real `servec build` run loaded: { builtins, packages, problems } or { unavailable }. */
export function runtimeLoads(args) {
  const out = join(tmpdir(), `servec-bench-loaded-${process.pid}.json`);
  const child = spawnSync(process.execPath, ['--require', join(root, 'bench/lib/loaded.cjs'), join(root, 'bin/servec.js'), ...args], {
    cwd: root,
    env: { ...process.env, SERVEC_BENCH_LOADED: out },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    if (child.status !== 0) return { unavailable: `servec exited with ${child.status}: ${String(child.stderr).trim()}` };
    const { builtins, required } = JSON.parse(readFileSync(out, 'utf8'));
    const files = required.filter((f) => !f.endsWith('bench/lib/loaded.cjs') && f !== join(root, 'bin/servec.js')); // bin/servec.js is a CommonJS script itself
    const packages = [...new Set(files.filter((f) => f.includes('/node_modules/')).map((f) => f.replace(/.*\/node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')))];
    const problems = packages.filter((p) => FORBIDDEN.includes(p));
    return { builtins, files, packages, problems };
  } catch (error) {
    return { unavailable: error.message };
  } finally {
    rmSync(out, { force: true });
  }
}
