/**
 * Flagger metric checks under the real Prometheus engine: queries rendered the way Flagger renders
 * them, synthetic Istio series, and one `promtool test rules` run for a whole batch of checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Flagger's built-in Istio queries, verbatim from fluxcd/flagger `pkg/metrics/observers/istio.go`.
 * Only the thresholds of these come from the Canary.
 */
export const FLAGGER_ISTIO_QUERIES: Record<string, string> = {
  'request-success-rate': `
	sum(
		rate(
			istio_requests_total{
				reporter="destination",
				destination_workload_namespace="{{ namespace }}",
				destination_workload=~"{{ target }}",
				response_code!~"5.*"
			}[{{ interval }}]
		)
	) 
	/ 
	sum(
		rate(
			istio_requests_total{
				reporter="destination",
				destination_workload_namespace="{{ namespace }}",
				destination_workload=~"{{ target }}"
			}[{{ interval }}]
		)
	) 
	* 100`,
  'request-duration': `
	histogram_quantile(
		0.99,
		sum(
			rate(
				istio_request_duration_milliseconds_bucket{
					reporter="destination",
					destination_workload_namespace="{{ namespace }}",
					destination_workload=~"{{ target }}"
				}[{{ interval }}]
			)
		) by (le)
	)`,
};

/** Flagger's MetricTemplateModel (`pkg/apis/flagger/v1beta1/metric.go`, filled by `toMetricModel`). */
export interface TemplateModel {
  name: string;
  namespace: string;
  target: string;
  service: string;
  ingress: string;
  route: string;
  interval: string;
}

/** Renders `{{ namespace }}`-style calls as Flagger's text/template with `missingkey=error` does; unknown names throw. */
export function renderQuery(template: string, model: TemplateModel): string {
  return template.replace(/\{\{-?\s*([a-z]+)\s*-?\}\}/g, (_, fn: string) => {
    if (!(fn in model)) throw new Error(`template calls ${fn}, which Flagger does not define`);
    return model[fn as keyof TemplateModel];
  });
}

export interface Traffic {
  namespace: string;
  workload: string;
  protocol: 'grpc' | 'http';
  /** Requests per second, all told. */
  rate: number;
  /** Fraction failing and how: a gRPC status code (on HTTP 200) or an HTTP status. */
  failures?: { fraction: number; grpcStatus?: number; httpStatus?: number };
  /** Latency of every request, in milliseconds. */
  latencyMs: number;
}

/** Istio's default request-duration buckets (ms). */
const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
const STEP_SECONDS = 15;
const STEPS = 100;

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
const counter = (perSecond: number) => `0+${perSecond * STEP_SECONDS}x${STEPS}`;

/** The series Istio's sidecars would report (reporter="destination") for this traffic. */
export function istioSeries(t: Traffic): Array<{ series: string; values: string }> {
  const base = { reporter: 'destination', destination_workload: t.workload, destination_workload_namespace: t.namespace, request_protocol: t.protocol };
  const failed = t.failures ? t.rate * t.failures.fraction : 0;
  const ok = { ...base, response_code: '200', ...(t.protocol === 'grpc' && { grpc_response_status: '0' }) };
  const out = [{ series: `istio_requests_total${labels(ok)}`, values: counter(t.rate - failed) }];
  if (t.failures) {
    const bad = {
      ...base,
      response_code: String(t.failures.httpStatus ?? 200),
      ...(t.failures.grpcStatus !== undefined && { grpc_response_status: String(t.failures.grpcStatus) }),
    };
    out.push({ series: `istio_requests_total${labels(bad)}`, values: counter(failed) });
  }
  for (const le of [...BUCKETS.map(String), '+Inf']) {
    const within = le === '+Inf' || Number(le) >= t.latencyMs ? t.rate : 0;
    out.push({ series: `istio_request_duration_milliseconds_bucket${labels({ ...base, le })}`, values: counter(within) });
  }
  return out;
}

export interface PromCheck {
  id: string;
  series: Array<{ series: string; values: string }>;
  query: string;
  thresholdRange: { min?: number; max?: number };
  /** Whether Flagger should count the check as passed. */
  passes: boolean;
}

export function promtoolAvailable(): boolean {
  return spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs every check in one `promtool test rules` file: each asks whether the rendered query's value lies
 * in the threshold range the way Flagger compares (`val < min` or `val > max` fails). Returns the ids of
 * checks whose outcome differs from `passes`, plus promtool's own text for the report.
 */
export function runChecks(checks: PromCheck[]): { mismatched: Set<string>; output: string } {
  const tests = checks.map((c) => {
    const bounds = [c.thresholdRange.min !== undefined && `(${c.query}) >= bool ${c.thresholdRange.min}`, c.thresholdRange.max !== undefined && `(${c.query}) <= bool ${c.thresholdRange.max}`].filter(Boolean);
    const expr = `label_replace(${bounds.map((b) => `(${b})`).join(' * ')}, "check", "${c.id}", "", "")`;
    return {
      interval: `${STEP_SECONDS}s`,
      input_series: c.series,
      promql_expr_test: [{ expr, eval_time: `${(STEPS * STEP_SECONDS) / 60 - 1}m`, exp_samples: [{ labels: `{check="${c.id}"}`, value: c.passes ? 1 : 0 }] }],
    };
  });
  const dir = mkdtempSync(join(tmpdir(), 'servec-promtool-'));
  try {
    const file = join(dir, 'checks.yaml');
    writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
    const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    const mismatched = new Set(output.match(/chk-\d+/g) ?? []);
    if (run.status !== 0 && mismatched.size === 0) throw new Error(`promtool failed without naming a check:\n${output}`);
    return { mismatched, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
