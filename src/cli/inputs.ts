/** Where specs come from: files, directories of them, or standard input (`-`). */
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type CompileOptions, type CompileResult } from '../compiler/index.js';
import { MAX_FILE_BYTES } from '../compiler/parse.js';
import type { SourceInput } from '../diagnostics/source.js';
import { fsReason as describe, UsageError } from './io.js';
import type { Options } from './options.js';

/** The path that means standard input, and the file name diagnostics give it. */
export const STDIN = '-';
export const STDIN_NAME = '<stdin>';

const SPEC_FILE = /\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * Expands files and directories (recursively, *.yaml and *.yml, sorted) into the list of spec files.
 * A file reached twice (./a.yaml and a.yaml, a symbolic link, a file inside a named directory) is
 * listed once, where it was first named. `-` (standard input) passes through, at most once.
 */
export function specFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new UsageError('no input: name one or more spec files or directories, or - for standard input');
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, real: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    files.push(path);
  };
  for (const path of paths) {
    if (path === STDIN) {
      if (seen.has(STDIN)) throw new UsageError('- (standard input) can be named only once');
      add(STDIN, STDIN);
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      throw new UsageError(`${path}: ${describe(error)}`);
    }
    if (!stat.isDirectory()) {
      if (!stat.isFile()) throw new UsageError(`${path}: not a regular file (a device, pipe or socket is never a spec)`);
      add(path, realpathSync(path));
      continue;
    }
    const found = walk(path, realpathSync(path));
    if (found.length === 0) throw new UsageError(`${path}: the directory holds no .yaml or .yml spec files`);
    for (const [file, real] of found) add(file, real);
  }
  return files;
}

/** Marks servec's own output directories (see outDir.ts): they hold manifests, not specs. */
export const OUTPUT_MARKER = '.servec-manifest';

/** [path as named, real path] of each spec file below dir; realDir is dir's real path. */
function walk(dir: string, realDir: string): [string, string][] {
  const out: [string, string][] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(path, OUTPUT_MARKER))) out.push(...walk(path, join(realDir, entry.name)));
    } else if (SPEC_FILE.test(entry.name) && entry.name !== 'kustomization.yaml') {
      // Symbolic links are followed; pipes and devices are skipped, they never hold a spec.
      if (entry.isFile()) out.push([path, join(realDir, entry.name)]);
      else if (entry.isSymbolicLink() && followLink(path).isFile()) out.push([path, realpathSync(path)]);
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

/**
 * Reads each file's bytes (the compiler decodes them), at most one byte past the size limit so
 * that a huge file is refused without being read whole.
 */
export function readSpecs(files: readonly string[]): SourceInput[] {
  return files.map((file) => {
    if (file === STDIN) return { file: STDIN_NAME, bytes: readStdin() };
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

/** All of standard input, but at most one byte past the size limit (the compiler refuses it then). */
function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // a non-blocking pipe, empty for now
        continue;
      }
      if (code === 'EOF') break; // Windows: end of a console's input
      throw new UsageError(`${STDIN_NAME}: ${describe(error)}`);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > MAX_FILE_BYTES) break;
  }
  return Buffer.concat(chunks, total);
}

/** Reads and compiles the inputs: the path from a command line into the compiler for build, validate (and plan). */
export function compileInputs(paths: readonly string[], values: Options, as: CompileOptions['as'] = 'objects'): CompileResult {
  return compile(readSpecs(specFiles(paths)), { strict: values.strict ?? false, as });
}
