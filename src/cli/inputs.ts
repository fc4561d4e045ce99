import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FILE_BYTES } from '../compiler/parse.js';
import type { SourceInput } from '../diagnostics/source.js';

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
    } catch (error) {
      throw new UsageError(`${path}: ${describe(error)}`);
    }
    if (!stat.isDirectory()) {
      if (!stat.isFile()) throw new UsageError(`${path}: not a regular file (a device, pipe or socket is never a spec)`);
      files.push(path);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) throw new UsageError(`${path}: the directory holds no .yaml or .yml spec files`);
    files.push(...found);
  }
  return [...new Set(files)];
}

/** Marks servec's own output directories (see outDir.ts): they hold manifests, not specs. */
export const OUTPUT_MARKER = '.servec-manifest';

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(path, OUTPUT_MARKER))) out.push(...walk(path));
    } else if (SPEC_FILE.test(entry.name) && entry.name !== 'kustomization.yaml') {
      // Symbolic links are followed; pipes and devices are skipped, they never hold a spec.
      if (entry.isFile() || (entry.isSymbolicLink() && followLink(path).isFile())) out.push(path);
    }
  }
  return out;
}

/** What a link in a spec directory points to; a dangling link or a loop is a usage error. */
function followLink(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    throw new UsageError(`${path}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links (a link loop?)',
    ENAMETOOLONG: 'the path is too long',
    ENOTDIR: 'a part of the path is not a directory',
    EIO: 'input/output error while reading',
  };
  return (code && reasons[code]) ?? (error as Error).message ?? 'cannot be read';
}

/**
 * Reads each file's bytes (the compiler decodes them), at most one byte past the size limit so
 * that a huge file is refused without being read whole.
 */
export function readSpecs(files: readonly string[]): SourceInput[] {
  return files.map((file) => {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const size = Math.min(statSync(file).size, MAX_FILE_BYTES + 1);
      const buffer = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, buffer, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      return { file, bytes: buffer.subarray(0, read) };
    } catch (error) {
      throw new UsageError(`${file}: ${describe(error)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  });
}
