import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceInput } from '../compiler/source.js';

export class UsageError extends Error {}

const SPEC_FILE = /\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Expands files and directories (recursively, *.yaml and *.yml, sorted) into the list of spec files. */
export function specFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new UsageError('no input: name one or more spec files or directories');
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      files.push(path);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) throw new UsageError(`${path}: the directory holds no .yaml or .yml spec files`);
    files.push(...found);
  }
  return [...new Set(files)];
}

/** servec's own output directories (see outDir.ts) hold manifests, not specs. */
const OUTPUT_MARKER = '.servec-manifest';

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(path, OUTPUT_MARKER))) out.push(...walk(path));
    }
    else if (SPEC_FILE.test(entry.name) && entry.name !== 'kustomization.yaml') out.push(path);
  }
  return out;
}

/** Reads each file's bytes; the compiler decodes them. */
export function readSpecs(files: readonly string[]): SourceInput[] {
  return files.map((file) => {
    try {
      return { file, bytes: readFileSync(file) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code ?? 'cannot be read';
      throw new UsageError(`${file}: ${why}`);
    }
  });
}
