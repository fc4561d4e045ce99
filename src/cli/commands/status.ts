import { statusAll, renderStatus, type SpecStatus } from '../../cluster/status.js';
import { realClock, waitFor } from '../../cluster/wait.js';
import { clientFor, CLUSTER_EXIT, compileSpecs, parseCommand, progress, reportCluster, timeoutMs, UsageError } from '../cluster.js';
import type { Io } from '../io.js';

export const USAGE = `Usage: servec status FILE|DIR... [--wait] [--timeout 5m] [-o text|json] [--context NAME]
Per spec: each version's desired and live weight, ready replicas, whether its model is loaded, and the
Canary's phase. Exit status 0 when healthy, 9 when degraded (with --wait: still degraded at the timeout).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(argv, { wait: { type: 'boolean' }, output: { type: 'string', short: 'o' } });
  if (values.help) {
    io.stdout(USAGE);
    return CLUSTER_EXIT.ok;
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output takes text, json, not "${output}"`);
  const timeout = timeoutMs(values.timeout);
  const objects = compileSpecs(positionals, values.strict, io);
  if (!objects) return CLUSTER_EXIT.specError;
  try {
    const client = await clientFor(io, values.context);
    // With --wait the first poll is the first look: waitFor checks at once.
    let specs: SpecStatus[] = values.wait ? [] : await statusAll(client, objects);
    if (values.wait) {
      const show = progress(io);
      await waitFor(
        async () => {
          specs = await statusAll(client, objects);
          const problems = specs.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`));
          return problems.length === 0 ? undefined : problems[0];
        },
        timeout,
        { out: () => {}, progress: show },
        realClock(io.env),
      );
      if (io.stderrIsTTY) io.stderr('\n');
    }
    io.stdout(output === 'json' ? `${JSON.stringify({ specs }, null, 2)}\n` : renderStatus(specs));
    return specs.some((s) => s.problems.length > 0) ? CLUSTER_EXIT.degraded : CLUSTER_EXIT.ok;
  } catch (error) {
    return reportCluster(error, io);
  }
}
