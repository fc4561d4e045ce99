import { parseArgs } from 'node:util';
import { compile, type CompileResult } from '../compiler/index.js';
import { renderDiagnostics, type Format } from '../compiler/render.js';
import { toJsonList, toYaml } from '../compiler/serialize.js';
import { readSpecs, specFiles, UsageError } from './inputs.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (for colour). */
  stderrIsTTY: boolean;
}

export const EXIT = { ok: 0, specError: 1, usage: 2, internal: 70 } as const;

const VERSION = '0.1.0';

const USAGE = `servec ${VERSION}: compile serving.yaml into Kubernetes, Istio and Flagger manifests

Usage:
  servec build FILE|DIR... [-o yaml|json] [--out-dir DIR [--check]]
  servec validate FILE|DIR...
  servec watch FILE|DIR... [--out-dir DIR] [--exec "kubectl apply -f -"]
  servec schema                  print the spec's JSON Schema (for editors)
  servec init [FILE]             write a commented starter spec

Options:
  -o, --output yaml|json   stdout format: multi-document YAML (default) or a v1 List
  --out-dir DIR            write one file per object and a kustomization.yaml into DIR
  --check                  with --out-dir: write nothing, exit 1 if DIR is stale
  --exec CMD               with watch: pipe each successful build into CMD
  --debounce MS            with watch: wait this long after a change (default 25)
  --strict                 treat warnings as errors
  --format pretty|short|json   how diagnostics are printed (default pretty)
  --color auto|always|never    colour in diagnostics (default auto; NO_COLOR is respected)
  -h, --help               show this help
  -v, --version            print the version

Exit status: 0 ok, 1 the specs have errors, 2 usage error, 70 internal error.
`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  'out-dir': { type: 'string' },
  check: { type: 'boolean' },
  exec: { type: 'string' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  color: { type: 'string' },
  debounce: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type Options = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
}

/** The value of a choice option, its fallback when absent; a usage error for anything else. */
function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} takes ${allowed.join(', ')}, not "${value}"`);
}

/** Runs the command line; returns the exit status. Never throws for bad input. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`servec: ${error.message}\nRun 'servec --help' for usage.\n`);
      return EXIT.usage;
    }
    const detail = io.env.SERVEC_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : '';
    io.stderr(
      `servec: internal error: ${(error as Error)?.message ?? String(error)}${detail}\n` +
        'This is a bug in servec, not in your spec. Please report it with the input that caused it (set SERVEC_DEBUG=1 for details).\n',
    );
    return EXIT.internal;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (command === 'apply') return (await import('./commands/apply.js')).apply(rest, io);
  if (command === 'diff') return (await import('./commands/diff.js')).diff(rest, io);
  if (command === 'status') return (await import('./commands/status.js')).status(rest, io);
  const { values, positionals } = parse(rest);
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  switch (command) {
    case 'build':
      return build(positionals, values, io);
    case 'validate':
      return validate(positionals, values, io);
    case 'schema': {
      const { schema } = await import('../compiler/validate.js');
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
      return EXIT.ok;
    }
    case 'init': {
      const { init } = await import('./init.js');
      return init(positionals, io);
    }
    case 'watch': {
      const { watch } = await import('./watch.js');
      return watch(positionals, values, io);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
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

/** Reads and compiles the inputs; the CLI's only path into the compiler. */
export function compileFiles(paths: readonly string[], values: Options): CompileResult {
  return compile(readSpecs(specFiles(paths)), { strict: values.strict ?? false });
}

/** Prints diagnostics to stderr in the chosen format. */
export function report(result: CompileResult, options: OutputOptions, io: Io): void {
  if (result.diagnostics.length === 0) return;
  // Asked only now: looking at stderr costs start-up time that clean runs need not pay.
  const color = options.color === 'always' || (options.color === 'auto' && io.stderrIsTTY && !io.env.NO_COLOR);
  io.stderr(renderDiagnostics(result.diagnostics, { format: options.format, color, sources: result.sources }));
}

export function serialize(result: CompileResult, output: 'yaml' | 'json'): string {
  return output === 'json' ? toJsonList(result.objects) : toYaml(result.objects);
}

/** Objects serialized per write: a stream of 10,000 specs is ~150 MB, better not held as one string. */
const WRITE_BATCH = 500;

/** Writes the manifests of a successful compile (never called otherwise), in batches of whole documents. */
function writeManifests(result: CompileResult, output: 'yaml' | 'json', io: Io): void {
  if (output === 'json') {
    io.stdout(toJsonList(result.objects));
    return;
  }
  for (let i = 0; i < result.objects.length; i += WRITE_BATCH) {
    io.stdout(`${i > 0 ? '---\n' : ''}${toYaml(result.objects.slice(i, i + WRITE_BATCH))}`);
  }
}

async function build(paths: string[], values: Options, io: Io): Promise<number> {
  const options = outputOptions(values);
  if (values.check && !values['out-dir']) throw new UsageError('--check needs --out-dir');
  const result = compileFiles(paths, values);
  report(result, options, io);
  if (!result.ok) return EXIT.specError;
  const outDir = values['out-dir'];
  if (outDir) {
    const { checkOutDir, writeOutDir } = await import('./outDir.js');
    if (values.check) return checkOutDir(outDir, result.objects, io);
    const { written, removed } = writeOutDir(outDir, result.objects);
    io.stderr(`${outDir}: ${result.objects.length} objects, ${written} file(s) written, ${removed} removed\n`);
    return EXIT.ok;
  }
  writeManifests(result, options.output, io);
  return EXIT.ok;
}

function validate(paths: string[], values: Options, io: Io): number {
  const options = outputOptions(values);
  const result = compileFiles(paths, values);
  report(result, options, io);
  if (!result.ok) return EXIT.specError;
  const { specs, objects } = result;
  io.stdout(`${specs} spec${specs === 1 ? '' : 's'} valid (${objects.length} objects)\n`);
  return EXIT.ok;
}
