// What `servec build` runs at start-up, read from esbuild's metafile: the modules reachable through
// static imports from the CLI's entry and the build command (which the entry loads with import()). Used by scripts/build.mjs (to refuse a bundle that would load
// too much) and by the bench (to report it).

export const ENTRY = 'dist/src/cli/main.js';
/** Packages that must never be loaded by `servec build`: watch- or cluster-only, or not runtime code at all. */
export const FORBIDDEN = ['chokidar', '@kubernetes/client-node', 'json-schema-to-typescript', 'typescript', 'esbuild'];
export const BUILD = 'dist/src/cli/commands/build.js';
/** Modules loaded through import() only, when they are used: `build` must not reach them statically. */
export const LAZY = ['dist/src/cli/commands/watch.js', 'dist/src/cli/outDir.js', 'dist/src/cli/commands/init.js'];

/** The cluster commands and what only they use (with everything under dist/src/cluster/). */
const CLUSTER_COMMANDS = ['dist/src/cli/commands/apply.js', 'dist/src/cli/commands/diff.js', 'dist/src/cli/commands/status.js', 'dist/src/cli/cluster.js'];

/** Returns the eager module set and the problems: forbidden packages or lazy commands reached statically. */
export function startupGraph(inputs, forbidden = FORBIDDEN) {
  if (!inputs[BUILD]) return { eager: new Set([ENTRY]), problems: [`${BUILD} is not in the bundle`] };
  const eager = new Set([ENTRY, BUILD]);
  for (const queue = [ENTRY, BUILD]; queue.length > 0; ) {
    for (const imported of inputs[queue.pop()]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      const key = imported.external ? `external:${imported.path}` : imported.path;
      if (eager.has(key)) continue;
      eager.add(key);
      if (!imported.external) queue.push(imported.path);
    }
  }
  const problems = [];
  for (const module of eager) {
    const pkg = forbidden.find((p) => module === `external:${p}` || module.startsWith(`external:${p}/`) || module.includes(`node_modules/${p}/`));
    if (pkg) problems.push(`start-up would load ${pkg} (${module})`);
    if (module.startsWith('dist/src/cluster/') || CLUSTER_COMMANDS.includes(module)) problems.push(`start-up would run ${module}; the cluster commands stay behind import()`);
    if (LAZY.includes(module)) problems.push(`start-up would run ${module}; keep it behind import()`);
  }
  return { eager, problems };
}
