import { applyAll } from '../../cluster/apply.js';
import { realClock } from '../../cluster/wait.js';
import { clientFor, CLUSTER_EXIT, compileSpecs, parseCommand, progress, reportCluster, timeoutMs } from '../cluster.js';
import { VERSION, type Io } from '../io.js';

export const USAGE = `Usage: servec apply FILE|DIR... [--dry-run] [--wait] [--timeout 5m] [--force-conflicts] [--no-prune] [--context NAME]
Server-side applies the compiled objects (field manager servec), records them in a kubectl ApplySet
per spec, and prunes what the specs no longer emit. See docs/cluster.md.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    'dry-run': { type: 'boolean' },
    wait: { type: 'boolean' },
    'force-conflicts': { type: 'boolean' },
    'no-prune': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(USAGE);
    return CLUSTER_EXIT.ok;
  }
  const timeout = timeoutMs(values.timeout);
  const objects = compileSpecs(positionals, values.strict, io);
  if (!objects) return CLUSTER_EXIT.specError;
  const show = progress(io);
  try {
    const client = await clientFor(io, values.context);
    const options = { tooling: `servec/v${VERSION}`, dryRun: values['dry-run'] ?? false, force: values['force-conflicts'] ?? false, wait: values.wait ?? false, timeoutMs: timeout, prune: !values['no-prune'] };
    const code = await applyAll(client, objects, options, { out: (line) => io.stdout(`${line}\n`), progress: show }, realClock(io.env));
    if (io.stderrIsTTY) io.stderr('\n');
    return code;
  } catch (error) {
    if (io.stderrIsTTY) io.stderr('\n');
    return reportCluster(error, io);
  }
}
