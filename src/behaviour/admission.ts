/**
 * What a destination pod's proxy lets in: mTLS as the caller's DestinationRule and the pod's
 * PeerAuthentication decide it, then AuthorizationPolicy (DENY first, then ALLOW). A pod without a
 * sidecar enforces neither.
 */
import { labelsMatch } from './match.js';
import type { PodSet } from './pods.js';
import type { Refusal, RefusalCode } from './types.js';

type Any = Record<string, any>;

export interface Policies {
  peer: readonly Any[];
  authorization: readonly Any[];
}

const CLIENT_STATUS: Record<RefusalCode, { grpcStatus: number; httpStatus: number }> = {
  'no-gateway-server': { grpcStatus: 14, httpStatus: 404 },
  'no-route': { grpcStatus: 12, httpStatus: 404 },
  'no-service': { grpcStatus: 14, httpStatus: 503 },
  'port-not-on-service': { grpcStatus: 14, httpStatus: 503 },
  'no-endpoints': { grpcStatus: 14, httpStatus: 503 },
  'wrong-protocol': { grpcStatus: 14, httpStatus: 503 },
  'mtls-to-plaintext': { grpcStatus: 14, httpStatus: 503 },
  'plaintext-to-strict': { grpcStatus: 14, httpStatus: 503 },
  denied: { grpcStatus: 7, httpStatus: 403 },
};

export const refuse = (code: RefusalCode, reason: string): Refusal => ({ code, reason, ...CLIENT_STATUS[code] });

export const principal = (identity: string) => {
  const [ns, sa] = identity.split('/');
  return `cluster.local/ns/${ns}/sa/${sa}`;
};

/** mTLS and authorization at a destination pod; undefined when the request is let in. */
export function admission(policies: Policies, pods: PodSet, identity: string | undefined, callerSidecar: boolean, tlsMode: string | undefined, port: number): Refusal | undefined {
  let mtls: boolean;
  if (!callerSidecar || tlsMode === 'DISABLE') mtls = false;
  else if (tlsMode === 'ISTIO_MUTUAL') {
    if (!pods.sidecar) return refuse('mtls-to-plaintext', `the caller's proxy sends ISTIO_MUTUAL to ${pods.deployment}, whose pods have no sidecar`);
    mtls = true;
  } else mtls = pods.sidecar; // auto mTLS
  if (!pods.sidecar) return undefined; // nothing enforces PeerAuthentication or AuthorizationPolicy
  if (!mtls && strict(policies.peer, pods)) return refuse('plaintext-to-strict', `${pods.deployment} requires mTLS (STRICT) and the caller sends plain text`);
  const source = mtls ? identity : undefined;
  const applicable = policies.authorization.filter(
    (p) => (p.metadata.namespace === pods.namespace || p.metadata.namespace === 'istio-system') && labelsMatch(p.spec.selector?.matchLabels, pods.labels),
  );
  const deny = applicable.filter((p) => p.spec.action === 'DENY');
  const allow = applicable.filter((p) => (p.spec.action ?? 'ALLOW') === 'ALLOW');
  const who = source ?? 'a caller without identity';
  if (deny.some((p) => (p.spec.rules ?? []).some((r: Any) => ruleMatches(r, source, port)))) return refuse('denied', `a DENY policy refuses ${who} at ${pods.deployment}`);
  if (allow.length > 0 && !allow.some((p) => (p.spec.rules ?? []).some((r: Any) => ruleMatches(r, source, port)))) {
    return refuse('denied', `no AuthorizationPolicy allows ${who} at ${pods.deployment}`);
  }
  return undefined;
}

function strict(peer: readonly Any[], pods: PodSet): boolean {
  const applies = peer.filter(
    (p) => (p.metadata.namespace === pods.namespace && labelsMatch(p.spec.selector?.matchLabels, pods.labels)) || (p.metadata.namespace === 'istio-system' && !p.spec.selector),
  );
  // The most specific policy wins: a workload selector over the namespace's over the mesh's.
  applies.sort((a, b) => rank(b, pods.namespace) - rank(a, pods.namespace));
  return applies[0]?.spec.mtls?.mode === 'STRICT';
}

function rank(p: Any, namespace: string): number {
  if (p.metadata.namespace === namespace && p.spec.selector) return 2;
  return p.metadata.namespace === namespace ? 1 : 0;
}

function principalMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/**
 * One AuthorizationPolicy rule. `when` conditions and source fields other than principals and namespaces
 * are not evaluated: such a rule never matches (an ALLOW rule then refuses, a DENY rule lets through).
 */
function ruleMatches(rule: Any, principal: string | undefined, port: number): boolean {
  if (rule.when) return false;
  const from: Any[] = rule.from ?? [];
  const fromOk =
    from.length === 0 ||
    from.some(({ source: s = {} }: Any) =>
      Object.keys(s).every((k) => ['principals', 'namespaces', 'notPrincipals', 'notNamespaces'].includes(k)) &&
      (!s.principals || (principal !== undefined && s.principals.some((p: string) => principalMatches(p, principal)))) &&
      (!s.notPrincipals || !(principal !== undefined && s.notPrincipals.some((p: string) => principalMatches(p, principal)))) &&
      (!s.namespaces || (principal !== undefined && s.namespaces.some((n: string) => principalMatches(n, principal.split('/')[2]!)))) &&
      (!s.notNamespaces || !(principal !== undefined && s.notNamespaces.some((n: string) => principalMatches(n, principal.split('/')[2]!)))),
    );
  const to: Any[] = rule.to ?? [];
  const toOk = to.length === 0 || to.some(({ operation: o = {} }: Any) => !o.ports || o.ports.includes(String(port)));
  return fromOk && toOk;
}
