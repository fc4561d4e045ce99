/**
 * The TF Serving configuration files, written as protobuf text format. Values that reach these
 * files are checked beforehand (the model name by checks/names.ts, SV213); quote() still escapes
 * defensively.
 */

export function quote(value: string): string {
  // Nearly every value has nothing to escape: one test instead of three replacements.
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const NEEDS_ESCAPE = /[\\"\n]/;

export function modelConfig(m: { name: string; basePath: string; platform: string; version: number }): string {
  return [
    'model_config_list {',
    '  config {',
    `    name: ${quote(m.name)}`,
    `    base_path: ${quote(m.basePath)}`,
    `    model_platform: ${quote(m.platform)}`,
    '    model_version_policy {',
    '      specific {',
    `        versions: ${m.version}`,
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

export const METRICS_PATH = '/monitoring/prometheus/metrics';

export function monitoringConfig(): string {
  return ['prometheus_config {', '  enable: true', `  path: ${quote(METRICS_PATH)}`, '}', ''].join('\n');
}

export function batchingConfig(b: { maxBatchSize: number; batchTimeoutMicros: number; maxEnqueuedBatches: number; numBatchThreads: number }): string {
  return [
    `max_batch_size { value: ${b.maxBatchSize} }`,
    `batch_timeout_micros { value: ${b.batchTimeoutMicros} }`,
    `max_enqueued_batches { value: ${b.maxEnqueuedBatches} }`,
    `num_batch_threads { value: ${b.numBatchThreads} }`,
    '',
  ].join('\n');
}
