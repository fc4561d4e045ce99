import type { FlaggerCheck, Slo } from '../plan/index.js';

/**
 * Turns the SLOs into Flagger metric checks. Flagger's built-in `request-success-rate` only
 * counts HTTP 5xx, which a gRPC error never is, and `request-duration` is always the 99th
 * percentile; anything else gets a MetricTemplate of servec's own.
 */
export function flaggerChecks(options: {
  name: string;
  slo: Slo;
  protocol: 'grpc' | 'rest';
  metrics: 'servec' | 'flagger-builtin';
  prometheus: string;
  /** Client errors counted as successes: gRPC status codes (numbers) and HTTP statuses. */
  clientErrors?: { grpc: readonly number[]; http: readonly number[] };
}): FlaggerCheck[] {
  const { name, slo, protocol, metrics, prometheus } = options;
  const clientErrors = options.clientErrors ?? { grpc: [], http: [] };
  const checks: FlaggerCheck[] = [];
  if (slo.successRate !== undefined) {
    const thresholdRange = { min: slo.successRate };
    if (protocol === 'grpc' && metrics === 'servec') {
      checks.push({ name: 'grpc-success-rate', thresholdRange, template: { name: `${name}-grpc-success-rate`, query: grpcSuccessRateQuery(clientErrors.grpc), prometheus } });
    } else if (metrics === 'servec') {
      checks.push({ name: 'http-success-rate', thresholdRange, template: { name: `${name}-http-success-rate`, query: httpSuccessRateQuery(clientErrors.http), prometheus } });
    } else {
      checks.push({ name: 'request-success-rate', thresholdRange });
    }
  }
  if (slo.latency) {
    const thresholdRange = { max: slo.latency.maxMs };
    const p = slo.latency.percentile;
    if (p === 99 && metrics === 'flagger-builtin') {
      checks.push({ name: 'request-duration', thresholdRange });
    } else {
      checks.push({ name: `latency-p${p}`, thresholdRange, template: { name: `${name}-latency-p${p}`, query: latencyQuery(p), prometheus } });
    }
  }
  return checks;
}

const workload = 'reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"';

/**
 * The gRPC success rate: only OK (0) is a success. Every other status is a failed call, client-side
 * codes included: INVALID_ARGUMENT (3) is what a model rejecting its input answers, PERMISSION_DENIED
 * (7) what an Istio RBAC denial looks like, RESOURCE_EXHAUSTED (8) an overloaded server. A caller may
 * pass further codes it treats as its clients' own errors, to be counted as successes.
 */
export function grpcSuccessRateQuery(clientErrors: readonly number[] = []): string {
  return successRateQuery('grpc', `grpc_response_status=~"${[0, ...clientErrors].join('|')}"`);
}

/**
 * The REST success rate: only 2xx and 3xx are successes. Flagger's built-in check counts every
 * non-5xx status, so a canary answering 403 (an authorization denial) or 400 (a model rejecting its
 * inputs) to every call would pass it. Declared client errors count as successes.
 */
export function httpSuccessRateQuery(clientErrors: readonly number[] = []): string {
  return successRateQuery('http', `response_code=~"${['2..', '3..', ...clientErrors.map(String)].join('|')}"`);
}

/** The share, in percent, of one protocol's requests to the canary that `success` selects. */
function successRateQuery(protocol: 'grpc' | 'http', success: string): string {
  return [
    `sum(rate(istio_requests_total{${workload},request_protocol="${protocol}",${success}}[{{ interval }}]))`,
    '/',
    `sum(rate(istio_requests_total{${workload},request_protocol="${protocol}"}[{{ interval }}]))`,
    '* 100',
    '',
  ].join('\n');
}

/** gRPC status names (grpc/status.proto) to their codes. */
export const GRPC_STATUS: Readonly<Record<string, number>> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

function latencyQuery(percentile: number): string {
  return [
    `histogram_quantile(${percentile / 100},`,
    `  sum(rate(istio_request_duration_milliseconds_bucket{${workload}}[{{ interval }}])) by (le)`,
    ')',
    '',
  ].join('\n');
}
