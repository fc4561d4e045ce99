/** The command line's options: parsed once by the entry, read by the commands. */
import { parseArgs } from 'node:util';
import type { Format } from '../diagnostics/render.js';
import { UsageError } from './io.js';

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  'out-dir': { type: 'string' },
  check: { type: 'boolean' },
  'exit-code': { type: 'boolean' },
  exec: { type: 'string' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  color: { type: 'string' },
  debounce: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type Options = { -readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

export interface Args {
  positionals: string[];
  values: Options;
}

/**
 * Parses options and positionals. Node's parser runs non-strict and the checks are ours, so that
 * every mistake gets one plain line (Node's own wording quotes the option unevenly).
 */
export function parseOptions(argv: string[]): Args {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (option.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
  }
  return { values: values as Options, positionals };
}

/** The value of a choice option, its fallback when absent; a usage error for anything else. */
function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} takes ${allowed.join(', ')}, not "${value}"`);
}

/** The output options every command checks up front, so a bad one is a usage error even when nothing fails. */
export interface OutputOptions {
  output: 'yaml' | 'json';
  format: Format;
  color: 'auto' | 'always' | 'never';
}

export function outputOptions(values: Options): OutputOptions {
  return {
    output: oneOf('output', values.output, ['yaml', 'json'] as const, 'yaml'),
    format: oneOf<Format>('format', values.format, ['pretty', 'short', 'json'], 'pretty'),
    color: oneOf('color', values.color, ['auto', 'always', 'never'] as const, 'auto'),
  };
}
