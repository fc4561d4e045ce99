import { diffAll } from '../../cluster/diff.js';
import { clientFor, CLUSTER_EXIT, compileSpecs, parseCommand, reportCluster } from '../cluster.js';
import type { Io } from '../io.js';

export const USAGE = `Usage: servec diff FILE|DIR... [--context NAME]
Shows what servec apply would change: a server-side dry run of the apply against the live objects,
Secret values masked. Exit status as kubectl diff: 0 no differences, 1 differences, >1 an error.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  if (values.help) {
    io.stdout(USAGE);
    return CLUSTER_EXIT.ok;
  }
  const objects = compileSpecs(positionals, values.strict, io);
  if (!objects) return CLUSTER_EXIT.specErrorDiff;
  try {
    const { text, changed } = await diffAll(await clientFor(io, values.context), objects);
    io.stdout(text);
    return changed > 0 ? CLUSTER_EXIT.differences : CLUSTER_EXIT.ok;
  } catch (error) {
    return reportCluster(error, io);
  }
}
