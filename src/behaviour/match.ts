/** Host names and HTTP route matches as Istio evaluates them. */
import type { Caller } from './types.js';

type Any = Record<string, any>;

export const labelsMatch = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

export const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Expands a service host the way Istio does for short names: `a` → `a.NS.svc.cluster.local`, `a.b` → `a.b.svc.cluster.local`. */
export function fqdn(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** The path and content type a request carries. */
export function requestOf(caller: Caller): { path: string; contentType: string } {
  return caller.protocol === 'grpc'
    ? { path: caller.path ?? '/tensorflow.serving.PredictionService/Predict', contentType: 'application/grpc' }
    : { path: caller.path ?? '/v1/models/model:predict', contentType: 'application/json' };
}

function stringMatch(m: Any | undefined, value: string): boolean {
  if (!m) return true;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.regex !== undefined) return new RegExp(`^(?:${m.regex})$`).test(value);
  return true;
}

export function routeMatches(route: Any, caller: Caller): boolean {
  const conditions: Any[] | undefined = route.match;
  if (!conditions || conditions.length === 0) return true;
  const { path, contentType } = requestOf(caller);
  const headers: Record<string, string> = { 'content-type': contentType };
  return conditions.some(
    (c) =>
      stringMatch(c.uri, path) &&
      (c.port === undefined || c.port === caller.port) &&
      Object.entries(c.headers ?? {}).every(([name, m]) => headers[name.toLowerCase()] !== undefined && stringMatch(m as Any, headers[name.toLowerCase()]!)) &&
      // withoutHeaders: the request matches when none of these headers matches (an absent header does not).
      Object.entries(c.withoutHeaders ?? {}).every(([name, m]) => headers[name.toLowerCase()] === undefined || !stringMatch(m as Any, headers[name.toLowerCase()]!)),
  );
}
