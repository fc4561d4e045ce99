/** What the cluster commands (apply, diff, status) share: options, compiling the specs, connecting, and reporting failures. */
import { parseArgs } from 'node:util';
import { ClusterError, CLUSTER_EXIT } from '../cluster/errors.js';
import { Client } from '../cluster/client.js';
import { sender, type Send } from '../cluster/http.js';
import { connect } from '../cluster/kubeconfig.js';
import type { KObject } from '../cluster/object.js';
import { compileInputs } from './inputs.js';
import { UsageError, type Io } from './io.js';
import { report } from './output.js';

const COMMON = {
  context: { type: 'string' },
  strict: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommand<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
}

/** `--timeout 5m`, `90s`, `300` (seconds); default 5 minutes. */
export function timeoutMs(value: string | undefined): number {
  if (value === undefined) return 300_000;
  const match = /^(\d+)(ms|s|m)?$/.exec(value);
  if (!match) throw new UsageError(`--timeout takes a duration such as 90s or 5m, not "${value}"`);
  const unit = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000;
  return Number(match[1]) * unit;
}

/** Compiles as `build` does; undefined (after printing the diagnostics) when the specs have errors. */
export function compileSpecs(paths: string[], strict: boolean | undefined, io: Io): KObject[] | undefined {
  const result = compileInputs(paths, { strict });
  report(result, { format: 'pretty', color: 'auto' }, io);
  return result.ok ? (result.objects as unknown as KObject[]) : undefined;
}

/** A client for the kubeconfig's cluster; `send` can be replaced (tests record requests through it). */
export async function clientFor(io: Io, context: string | undefined, send?: Send): Promise<Client> {
  return new Client(send ?? sender(await connect(io.env, context)));
}

/** Prints a ClusterError as servec prints every error: message, then what to do. */
export function reportCluster(error: unknown, io: Io): number {
  if (!(error instanceof ClusterError)) throw error;
  io.stderr(`error: ${error.message}\n${error.hint ? `  = hint: ${error.hint}\n` : ''}`);
  return error.exitCode;
}

/** Progress on stderr: rewritten in place on a terminal, one line per change otherwise. */
export function progress(io: Io): (line: string) => void {
  let last = '';
  return (line) => {
    if (line === last) return;
    last = line;
    if (io.stderrIsTTY) io.stderr(`\r\x1b[2K${line}`);
    else io.stderr(`${line}\n`);
  };
}

export { CLUSTER_EXIT, UsageError };
