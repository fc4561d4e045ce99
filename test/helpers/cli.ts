import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real bin/servec.js, as a user would. */
export function servec(args: string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(repoRoot(), 'bin/servec.js'), ...args], {
    cwd: options.cwd ?? repoRoot(),
    env: { ...process.env, NO_COLOR: '', SERVEC_DEBUG: '', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, ms: performance.now() - started };
}
