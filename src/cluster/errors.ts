/**
 * Exit statuses of the cluster commands (documented in docs/cluster.md). 0, 1 and 2 mean what they
 * mean for `build`; `diff` follows `kubectl diff` instead (1 = differences), so its spec errors
 * use SPEC_ERROR_DIFF.
 */
export const CLUSTER_EXIT = {
  ok: 0,
  specError: 1,
  differences: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  missingApi: 5,
  conflict: 6,
  partial: 7,
  timeout: 8,
  degraded: 9,
  specErrorDiff: 10,
} as const;

/** A failure talking to the cluster, with a message that stands alone and the exit status it maps to. */
export class ClusterError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
