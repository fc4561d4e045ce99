// What `servec build` runs at start-up, read from esbuild's metafile: the modules reachable from the
// CLI's entry through static imports. Used by scripts/build.mjs (to refuse a bundle that would load
// too much) and by the bench (to report it).

export const ENTRY = 'dist/src/cli/main.js';
/** Commands loaded through import() only, when they are used. */
export const LAZY = ['dist/src/cli/watch.js', 'dist/src/cli/outDir.js', 'dist/src/cli/init.js'];

/** Returns the eager module set and the problems: forbidden packages or lazy commands reached statically. */
export function startupGraph(inputs, forbidden) {
  const eager = new Set([ENTRY]);
  for (const queue = [ENTRY]; queue.length > 0; ) {
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
    if (module.startsWith('dist/src/cluster/') || module.startsWith('dist/src/cli/commands/')) problems.push(`start-up would run ${module}; the cluster commands stay behind import()`);
    if (LAZY.includes(module)) problems.push(`start-up would run ${module}; keep it behind import()`);
  }
  return { eager, problems };
}
