/**
 * The command line's entry: parses the arguments and runs one command from COMMANDS. Each command is
 * its own module under commands/, loaded only when it runs, so adding one costs `build` nothing at
 * start-up. Commands share io.ts (Io, exit statuses, UsageError, VERSION), options.ts, inputs.ts and output.ts;
 * none imports this file.
 */
import { EXIT, UsageError, VERSION, type Io } from './io.js';
import { parseOptions, type Args } from './options.js';

export type { Io } from './io.js';

/** A command module exports `run`; it returns the exit status and throws UsageError for usage mistakes. */
export interface CommandModule {
  run(args: Args, io: Io): number | Promise<number>;
}

/** A command that parses its own options (the cluster commands, whose options the others do not take). */
export interface RawCommandModule {
  run(argv: string[], io: Io): Promise<number>;
}

type Command = {
  /** The usage line after `servec `: the arguments, then what it does. */
  usage: string;
} & ({ load: () => Promise<CommandModule>; ownOptions?: false } | { load: () => Promise<RawCommandModule>; ownOptions: true });

/** Adding a command: one entry here and a module in commands/ that exports `run`. */
const COMMANDS: Record<string, Command> = {
  build: { usage: 'build FILE|DIR|-... [-o yaml|json | --out-dir DIR [--check]]', load: () => import('./commands/build.js') },
  validate: { usage: 'validate FILE|DIR|-...', load: () => import('./commands/validate.js') },
  watch: { usage: 'watch FILE|DIR... [--out-dir DIR] [--exec "kubectl apply -f -"] [--debounce MS]', load: () => import('./commands/watch.js') },
  plan: { usage: 'plan OLD NEW | --out-dir DIR NEW...  what changes, and the safe order [-o text|json] [--exit-code]', load: () => import('./commands/plan.js') },
  schema: { usage: "schema                  print the spec's JSON Schema (for editors)", load: () => import('./commands/schema.js') },
  init: { usage: 'init [FILE]             write a commented starter spec (and serving.schema.json beside it)', load: () => import('./commands/init.js') },
  diff: { usage: 'diff FILE|DIR...        what apply would change in the cluster (exit 1 when something would)', ownOptions: true, load: () => import('./commands/diff.js') },
  apply: { usage: 'apply FILE|DIR... [--dry-run] [--wait]   server-side apply, record, prune (docs/cluster.md)', ownOptions: true, load: () => import('./commands/apply.js') },
  status: { usage: 'status FILE|DIR... [--wait] [-o json]   live weights, readiness and the Canary, per spec', ownOptions: true, load: () => import('./commands/status.js') },
};

const USAGE = `servec ${VERSION}: compile serving.yaml into Kubernetes, Istio and Flagger manifests

Usage:
${Object.values(COMMANDS)
  .map((c) => `  servec ${c.usage}\n`)
  .join('')}
  A FILE of - reads the spec from standard input (named <stdin> in messages).

Options:
  -o, --output yaml|json   stdout format: multi-document YAML (default) or a v1 List
  --out-dir DIR            write one file per object and a kustomization.yaml into DIR
  --check                  with --out-dir: write nothing, exit 1 if DIR is stale
  --exec CMD               with watch: pipe each successful build into CMD
  --debounce MS            with watch: wait MS milliseconds after the last change before building
                           (default 25; raise it when a tool writes many files one after another)
  --strict                 treat warnings as errors
  --format pretty|short|json   how diagnostics are printed (default pretty)
  --color auto|always|never    colour in diagnostics (default auto; NO_COLOR is respected)
  -h, --help               show this help
  -v, --version            print the version

Exit status: 0 ok, 1 the specs have errors, 2 usage error, 70 internal error.
`;

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
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(USAGE); // nothing asked: usage is an error message here, not output
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(name.startsWith('-') ? `name a command before options (got ${name})` : `unknown command "${name}"`);
  if (command.ownOptions) return (await command.load()).run(rest, io);
  const args = parseOptions(rest);
  if (args.values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  return (await command.load()).run(args, io);
}
