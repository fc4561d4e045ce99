import type { PathSegment } from '../plan/index.js';
import type { Position } from './source.js';

export type Severity = 'error' | 'warning';

/** One problem found in the user's input. Positions are 1-based lines and columns. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  file: string;
  start?: Position;
  end?: Position;
  /** Where in the spec, as users write it: `spec.versions[1].name`. */
  path?: string;
  /** The same place as segments, for tools: ['spec', 'versions', 1, 'name']. */
  pathSegments?: PathSegment[];
  hint?: string;
  /** Other places that explain the problem (the other half of a duplicate, each term of a sum). */
  labels?: Label[];
}

/** A secondary place of a diagnostic, with what it contributes. */
export interface Label {
  file: string;
  start: Position;
  end: Position;
  message: string;
}

interface CodeInfo {
  severity: Severity;
  title: string;
}

/**
 * The stable catalogue of diagnostic codes. Codes are never reused: a retired code stays here,
 * marked as such, so that a code always means one thing.
 */
export const CODES = {
  SV001: { severity: 'error', title: 'YAML syntax error' },
  SV002: { severity: 'error', title: 'duplicate key' },
  SV003: { severity: 'error', title: 'tab used for indentation' },
  SV004: { severity: 'error', title: 'too many aliases (alias bomb)' },
  SV005: { severity: 'error', title: 'nesting too deep' },
  SV006: { severity: 'error', title: 'file or document too large' },
  SV007: { severity: 'error', title: 'binary or non-UTF-8 file' },
  SV008: { severity: 'error', title: 'no spec in file' },
  SV009: { severity: 'error', title: 'document is not a mapping' },
  SV010: { severity: 'error', title: 'not a servec ModelService' },
  SV101: { severity: 'error', title: 'unknown field' },
  SV102: { severity: 'error', title: 'missing required field' },
  SV103: { severity: 'error', title: 'wrong type' },
  SV104: { severity: 'error', title: 'value not allowed' },
  SV105: { severity: 'error', title: 'value does not match the expected format' },
  SV106: { severity: 'error', title: 'value out of range' },
  SV107: { severity: 'error', title: 'invalid list or object size' },
  SV108: { severity: 'error', title: 'YAML read text as a number or boolean' },
  SV109: { severity: 'error', title: 'YAML 1.1 boolean word' },
  SV201: { severity: 'error', title: 'traffic weights do not add up to 100' },
  SV202: { severity: 'error', title: 'traffic weight for an unknown version' },
  SV203: { severity: 'error', title: 'duplicate version name' },
  SV204: { severity: 'error', title: 'duplicate model version' },
  SV205: { severity: 'error', title: 'traffic weights in a flagger rollout' },
  SV206: { severity: 'error', title: 'derived name too long' },
  SV207: { severity: 'error', title: 'flagger rollout needs exactly one version' },
  SV208: { severity: 'error', title: 'malformed S3 URI' },
  SV209: { severity: 'error', title: 'GPU requested with a non-GPU image' },
  SV210: { severity: 'error', title: 'GPU image without a GPU' },
  SV211: { severity: 'error', title: 'canary protocol is not exposed' },
  SV212: { severity: 'error', title: 'unknown node profile' },
  SV213: { severity: 'error', title: 'value cannot go into the TF Serving config' },
  SV214: { severity: 'error', title: 'credential written inline' },
  SV215: { severity: 'error', title: 'several versions but no traffic split' },
  SV216: { severity: 'error', title: 'duplicate object' },
  SV217: { severity: 'error', title: 'native S3 access with an image that cannot read s3://' },
  SV218: { severity: 'error', title: 'rollout settings do not fit the strategy' },
  SV219: { severity: 'error', title: 'port used twice' },
  SV220: { severity: 'error', title: 'autoscaling range is empty' },
  SV230: { severity: 'error', title: 'gateway setting with a shared gateway' },
  SV231: { severity: 'error', title: 'gateway TLS does not fit the protocol' },
  SV232: { severity: 'error', title: 'gateway routes of two specs overlap' },
  SV233: { severity: 'error', title: 'flagger rollout with the wildcard gateway host' },
  SV241: { severity: 'error', title: 'gRPC load test without TF Serving protos' },
  SV242: { severity: 'error', title: 'load-test request is not JSON' },
  SV243: { severity: 'error', title: 'progress deadline shorter than download and startup' },
  SV301: { severity: 'warning', title: 'image not pinned' },
  SV302: { severity: 'warning', title: 'single replica' },
  SV303: { severity: 'warning', title: 'flagger rollout without SLOs' },
  SV304: { severity: 'warning', title: 'gRPC canary checks HTTP status only' },
  SV305: { severity: 'warning', title: 'SLOs without effect in a manual rollout' },
  SV310: { severity: 'warning', title: 'gateway port not on the gateway Service' },
  SV311: { severity: 'warning', title: 'download bypasses the mesh to an in-mesh store' },
  SV320: { severity: 'warning', title: 'load test exercises no inference' },
  SV321: { severity: 'warning', title: 'ghz load test without request data' },
  SV322: { severity: 'warning', title: 'REST canary counts client errors as successes' },
  SV323: { severity: 'warning', title: 'load test calls the API the analysis does not measure' },
  SV900: { severity: 'error', title: 'internal error' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function severityOf(code: Code): Severity {
  return CODES[code].severity;
}

/** Orders diagnostics by file, position, then code, so output does not depend on discovery order. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const ao = a.start?.offset ?? -1;
  const bo = b.start?.offset ?? -1;
  if (ao !== bo) return ao - bo;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
