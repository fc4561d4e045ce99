/**
 * `servec watch`: rebuild on every change to the inputs; write --out-dir, print to stdout, or pipe
 * into --exec. A failed build prints its diagnostics and leaves the last good output alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { watch as chokidar } from 'chokidar';
import { compile, type SourceInput } from '../../compiler/index.js';
import { toYaml } from '../../compiler/serialize.js';
import { readSpecs, specFiles, STDIN } from '../inputs.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { outputOptions, type Args, type Options } from '../options.js';
import { writeOutDir } from '../outDir.js';
import { report, serialize } from '../output.js';

export interface BuildEvent {
  ok: boolean;
  /** Objects built; 0 when the build failed. */
  objects: number;
  errors: number;
  ms: number;
}

export interface WatchHandle {
  /** Resolves once the watcher is running and the initial build is done. */
  ready: Promise<void>;
  /** Stops watching; waits at most ~500 ms for the watcher and a running --exec command. */
  close(): Promise<void>;
}

const SPEC = /\.ya?ml$/i;
/** Hidden entries (servec's own temp files among them), node_modules, and the temp directories older servec versions left beside an --out-dir. */
const SKIPPED = /^(?:\..*|node_modules|.*\.servec-tmp-\d+)$/;
/** chokidar drops a file's `change` events for 50 ms after one it reported; look again after that. */
const SETTLE_MS = 75;
/**
 * How long a burst of events must be quiet before building. An editor's save is one to three events
 * within a millisecond or two (truncate and write, or write a new file and rename it over the old);
 * 10 ms covers that with room to spare and keeps save-to-output under 30 ms (BENCHMARKS.md, d).
 * Tools that write many files over a longer span (a git checkout) may cause a second build, and
 * SETTLE_MS's look catches anything that still changed; `--debounce` raises it for them.
 */
export const DEFAULT_DEBOUNCE_MS = 10;
const clock = () => new Date().toTimeString().slice(0, 8);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function startWatch(paths: string[], values: Options, io: Io, hooks: { onBuild?: (event: BuildEvent) => void } = {}): WatchHandle {
  if (values.check) throw new UsageError('--check is for build, not watch');
  if (paths.includes(STDIN)) throw new UsageError('watch follows files; it cannot read - (standard input)');
  const options = outputOptions(values);
  const debounce = Number(values.debounce ?? DEFAULT_DEBOUNCE_MS);
  if (!Number.isInteger(debounce) || debounce < 0 || debounce > 60_000) throw new UsageError(`--debounce takes milliseconds (0 to 60000), not "${values.debounce}"`);
  specFiles(paths); // usage errors (a missing path, an empty directory) stop us before we start

  const outDir = values['out-dir'] ? resolve(values['out-dir']) : undefined;
  const inOutDir = (path: string) => outDir !== undefined && (path === outDir || path.startsWith(outDir + sep));
  const roots = [...new Set(paths.map((p) => resolve(p)))];
  const dirs = roots.filter((p) => statSync(p).isDirectory());
  const files = new Set(roots.filter((p) => !dirs.includes(p)));
  // Named files are watched through their directory, so that deleting and re-creating one (or an
  // editor's rename over it) is seen; the filter below keeps the rest of that directory out.
  const watched = [...new Set([...dirs, ...[...files].map(dirname)])];
  const ignored = (path: string, stats?: Stats): boolean => {
    if (files.has(path) || watched.includes(path)) return false;
    if (inOutDir(path)) return true;
    const dir = dirs.find((d) => path.startsWith(d + sep));
    if (dir === undefined) return true;
    if (relative(dir, path).split(sep).some((part) => SKIPPED.test(part))) return true;
    return stats?.isFile() === true && !isSpec(path);
  };
  // chokidar may ask `ignored` before it knows a path is a file, so events are filtered again.
  const isSpec = (path: string) => files.has(path) || (SPEC.test(path) && basename(path) !== 'kustomization.yaml');

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let settle: NodeJS.Timeout | undefined;
  const status = (text: string) => io.stderr(`[${clock()}] ${text}\n`);

  // Directories are expanded afresh each time: spec files come and go. Never read our own output.
  const readInputs = () => readSpecs(specFiles(paths).filter((file) => !inOutDir(resolve(file))));
  const printOf = (inputs: SourceInput[]) => inputs.reduce((h, i) => h.update(`${i.file}\0`).update(i.bytes!).update('\0'), createHash('sha1')).digest('hex');
  const fingerprint = () => {
    try {
      return printOf(readInputs());
    } catch (error) {
      return (error as Error).message;
    }
  };
  /** What the last build read; a later look that reads something else builds again. */
  let lastPrint = '';
  /** Whether a build has succeeded yet: only then is there a previous output to keep. */
  let hasOutput = false;
  const kept = () =>
    values['out-dir'] ? `left ${values['out-dir']} as it was` : hasOutput ? 'kept the previous output' : 'no output yet';

  function rebuild(): void {
    timer = undefined;
    const started = performance.now();
    const done = (event: Omit<BuildEvent, 'ms'>, text: string) => {
      const ms = Math.round(performance.now() - started);
      status(text.replace('{ms}', `${ms} ms`));
      hooks.onBuild?.({ ...event, ms });
      // Safety net for events chokidar swallowed (two saves within 50 ms): the output converges on
      // the inputs' final state even then.
      clearTimeout(settle);
      settle = setTimeout(() => !closed && timer === undefined && fingerprint() !== lastPrint && rebuild(), SETTLE_MS);
    };
    try {
      let inputs: SourceInput[];
      try {
        inputs = readInputs();
      } catch (error) {
        lastPrint = (error as Error).message; // as fingerprint() words it
        throw error;
      }
      lastPrint = printOf(inputs);
      const result = compile(inputs, { strict: values.strict ?? false });
      report(result, options, io);
      if (!result.ok) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
        // The pretty format already ends with a count ("2 errors in 1 file"); say it once.
        const count = options.format === 'pretty' ? 'build failed' : plural(errors, 'error');
        return done({ ok: false, objects: 0, errors }, `${count}; ${kept()}`);
      }
      let wrote = '';
      if (values['out-dir']) {
        const { written, removed } = writeOutDir(values['out-dir'], result.objects);
        wrote = written + removed === 0 ? ', unchanged' : `, ${plural(written, 'file')} written, ${removed} removed`;
      } else if (!values.exec) {
        const { output } = options;
        io.stdout((output === 'yaml' ? `---\n# servec watch: build at ${clock()}\n` : '') + serialize(result, output));
      }
      if (values.exec) runExec(values.exec, toYaml(result.objects));
      hasOutput = true;
      done({ ok: true, objects: result.objects.length, errors: 0 }, `built ${plural(result.specs, 'spec')} → ${plural(result.objects.length, 'object')} in {ms}${wrote}`);
    } catch (error) {
      if (error instanceof UsageError) io.stderr(`servec: ${error.message}\n`);
      else io.stderr(`servec: internal error: ${io.env.SERVEC_DEBUG ? (error as Error)?.stack : (error as Error)?.message ?? String(error)}\n`);
      done({ ok: false, objects: 0, errors: 1 }, `build failed; ${kept()}`);
    }
  }

  // --exec queue: at most one command runs at a time. A build that finishes while it runs is parked
  // in `queued`, and a newer build replaces the parked one, so when the command exits it is started
  // once more with the latest output only; intermediate builds are skipped, never run out of order.
  let running: ChildProcess | undefined;
  let queued: string | undefined;
  function runExec(command: string, yaml: string): void {
    if (running) {
      queued = yaml;
      return;
    }
    // Its own process group, so that stopping reaches what the shell started too (`sh -c 'a | b'`):
    // a grandchild left running would hold the output pipes open and keep us alive until it ends.
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    running = child;
    child.stdout!.setEncoding('utf8').on('data', (text: string) => io.stdout(text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => io.stderr(text));
    child.stdin!.on('error', () => {}); // the command need not read its input (EPIPE)
    child.stdin!.end(yaml);
    child.on('error', (error) => status(`--exec could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      running = undefined;
      if (!closed) status(`exec: "${command}" ${code === 0 ? 'succeeded' : signal ? `killed by ${signal}` : `exited with status ${code}`}`);
      const next = queued;
      queued = undefined;
      if (next !== undefined && !closed) runExec(command, next);
    });
  }

  const watcher = chokidar(watched, { ignoreInitial: true, ignored });
  watcher.on('all', (event, path) => {
    if (closed || ((event === 'add' || event === 'change' || event === 'unlink') && !isSpec(path))) return;
    clearTimeout(timer); // debounce: a burst of events (an editor's save, a git checkout) builds once
    timer = setTimeout(rebuild, debounce);
  });
  watcher.on('error', (error) => status(`watch error: ${(error as Error).message}`));
  let resolveReady = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));
  watcher.once('ready', () => {
    if (!closed) {
      rebuild();
      status(`watching ${paths.join(', ')} (Ctrl-C to stop)`);
    }
    resolveReady();
  });

  return {
    ready,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(settle);
      resolveReady();
      queued = undefined;
      const child = running;
      if (child) signalGroup(child, 'SIGTERM');
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([watcher.close(), child && child.exitCode === null && child.signalCode === null && new Promise((r) => child.once('exit', r))]),
        new Promise((r) => (deadline = setTimeout(r, 500))),
      ]);
      clearTimeout(deadline);
      if (child) {
        if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGKILL');
        child.stdout?.destroy(); // whatever else still holds them, we stop reading now
        child.stderr?.destroy();
      }
    },
  };
}

/** Signals the --exec command's whole process group (see runExec), or the shell alone where there is none. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal); // the group is gone already
  }
}

/** Runs until SIGINT or SIGTERM, then stops cleanly and returns 0. */
export async function run({ positionals, values }: Args, io: Io): Promise<number> {
  const handle = startWatch(positionals, values, io);
  let stop = () => {};
  await new Promise<void>((resolveStop) => {
    stop = resolveStop;
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await handle.close();
  io.stderr(`[${clock()}] stopped\n`);
  return EXIT.ok;
}
