import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True for the repository's root: it has package.json and this helper's TypeScript source. */
function isRepoRoot(dir: string): boolean {
  return existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'helpers', 'paths.ts'));
}

function findUp(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isRepoRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

let cached: string | undefined;

/**
 * The repository root. Looked for upwards from this file first (it runs compiled from
 * dist/test/helpers/), then from the working directory, for builds whose output lives
 * outside the repository (e.g. `tsc --outDir /tmp/x`).
 */
export function repoRoot(): string {
  cached ??= findUp(path.dirname(fileURLToPath(import.meta.url))) ?? findUp(process.cwd());
  if (cached === undefined) {
    throw new Error('cannot find the servec repository root (a directory with package.json and test/helpers/paths.ts)');
  }
  return cached;
}

/** The trimmed upstream schemas that come with the repository (see SOURCES.md there). */
export function vendoredSchemasDir(): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'upstream-schemas');
}

/** `shared/schemas`, the originals, when they sit beside the clone (optional: an extra cross-check). */
export function sharedSchemasDir(): string {
  return path.resolve(repoRoot(), '../shared/schemas');
}
