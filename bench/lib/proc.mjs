// Runs whole processes and times them: stdout goes to /dev/null, stderr is kept for error messages.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const devnull = openSync('/dev/null', 'w');
process.on('exit', () => closeSync(devnull));

const TIME = '/usr/bin/time';
export const hasTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
const rssFile = join(tmpdir(), `servec-bench-rss-${process.pid}.txt`);
process.on('exit', () => rmSync(rssFile, { force: true }));
const wrapper = fileURLToPath(new URL('./rss-wrapper.mjs', import.meta.url));

export class ProcessError extends Error {}

/**
 * Runs argv once; returns { ms, rssKB }. Throws ProcessError on a non-zero exit, a signal or a timeout.
 * With rss, peak RSS comes from `/usr/bin/time -f %M` (or, without it, from a node wrapper that runs
 * the script in-process and reports process.resourceUsage().maxRSS; only for node commands).
 */
export function run(argv, { rss = false, timeoutMs = 600_000, cwd = root, env = process.env } = {}) {
  let command = argv;
  if (rss && hasTime) command = [TIME, '-f', '%M', '-o', rssFile, ...argv];
  else if (rss && argv[0] === process.execPath) command = [process.execPath, wrapper, rssFile, ...argv.slice(1)];
  const started = performance.now();
  const child = spawnSync(command[0], command.slice(1), {
    cwd,
    env,
    stdio: ['ignore', devnull, 'pipe'],
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  const elapsed = performance.now() - started;
  if (child.error?.code === 'ETIMEDOUT' || (child.signal === 'SIGTERM' && elapsed >= timeoutMs)) {
    throw new ProcessError(`timed out after ${(timeoutMs / 1000).toFixed(0)} s`);
  }
  if (child.error) throw new ProcessError(`${argv[0]}: ${child.error.message}`);
  if (child.status !== 0) {
    const stderr = String(child.stderr).trim().split('\n').slice(-6).join('\n    ');
    throw new ProcessError(`${argv.map(short).join(' ')} exited with ${child.status ?? child.signal}\n    ${stderr}`);
  }
  let rssKB = NaN;
  if (rss) {
    try {
      rssKB = Number(readFileSync(rssFile, 'utf8').trim().split(/\s+/).pop());
    } catch {}
  }
  return { ms: elapsed, rssKB };
}

const short = (arg) => arg.replace(root, '').replace(process.execPath, 'node');
