/** What every command shares: how it talks to the outside, its exit statuses, and the usage error. */

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (for colour). */
  stderrIsTTY: boolean;
}

export const EXIT = { ok: 0, specError: 1, usage: 2, internal: 70 } as const;

/** servec's version (package.json's, checked by test/cli.test.ts): `--version`, and the tooling an ApplySet records. */
export const VERSION = '0.1.0';

/** A mistake in the command line or its inputs (a missing file, a bad option): exit 2, one line, no trace. */
export class UsageError extends Error {}

/** Why a file operation failed, in words (for `path: reason` usage errors). */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EEXIST: 'already exists',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links (a link loop?)',
    ENAMETOOLONG: 'the path is too long',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EIO: 'input/output error while reading',
  };
  return (code && reasons[code]) ?? (error as Error).message ?? 'cannot be read';
}
