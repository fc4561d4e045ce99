/**
 * Traffic before and after, per caller class, from the behaviour model. The cluster assumptions are
 * the ones a working install of the spec meets, so the plan speaks about routing, not about a
 * cluster that refuses everything: the objects' namespaces (and the callers') have sidecars, the
 * gateway pods are the ones the Gateway selects and expose its ports, Flagger is at rest (canary 0).
 */
import { behaviour, DEFAULT_CLUSTER, describeCaller, HELM_GATEWAY, LEGACY_GATEWAY, type Cluster, type KObject, type Share } from '../behaviour/index.js';

type Any = Record<string, any>;

/** One part of a caller's requests: the pods that answer it (Deployment, model versions) or the refusal. */
export type Portion = { percent: number; deployment: string; role?: 'primary' | 'canary'; models: number[] } | { percent: number; refused: string };

export interface CallerTraffic {
  /** `namespace/name` of the Service called. */
  service: string;
  /** The caller class as the behaviour model names it (`gateway grpc HOST:PORT`, `mesh NS/SA grpc HOST:PORT`). */
  caller: string;
  before: Portion[];
  after: Portion[];
}

const portion = (s: Share): Portion =>
  'deployment' in s ? { percent: s.percent, deployment: s.deployment, ...(s.role && { role: s.role }), models: s.modelVersions } : { percent: s.percent, refused: s.refused.code };

/** Refusals of one kind at different pods read as one share. */
function merged(portions: Portion[]): Portion[] {
  const out: Portion[] = [];
  for (const p of portions) {
    const same = 'refused' in p ? out.find((q) => 'refused' in q && q.refused === p.refused) : undefined;
    if (same) same.percent = Math.round((same.percent + p.percent) * 100) / 100;
    else out.push({ ...p });
  }
  return out;
}

/** The assumptions above, read from both states' objects. */
export function assumedCluster(objects: readonly KObject[]): Cluster {
  const all = objects as unknown as Any[];
  const selector: Record<string, string> = all.find((o) => o.kind === 'Gateway')?.spec?.selector ?? LEGACY_GATEWAY.labels;
  const known = [LEGACY_GATEWAY, HELM_GATEWAY].find((g) => Object.entries(g.labels).every(([k, v]) => selector[k] === v)) ?? LEGACY_GATEWAY;
  const principals = all
    .filter((o) => o.kind === 'AuthorizationPolicy')
    .flatMap((o) => (o.spec?.rules ?? []).flatMap((r: Any) => (r.from ?? []).flatMap((f: Any) => f.source?.principals ?? [])))
    .map((p: string) => /^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}/${m[2]}`)
    .filter((id) => id !== `${known.namespace}/${known.serviceAccount}`);
  const meshCallers = principals.length ? [...new Set(principals)].sort() : DEFAULT_CLUSTER.meshCallers;
  const namespaces = new Set([...all.map((o) => o.metadata.namespace), ...meshCallers.map((c) => c.split('/')[0]), DEFAULT_CLUSTER.loadTester.split('/')[0]]);
  const { servicePorts: _ports, ...gateway } = known;
  return { ...DEFAULT_CLUSTER, gateway: { ...gateway, labels: selector }, injectedNamespaces: [...namespaces].filter(Boolean).sort(), meshCallers };
}

/** Every caller of every Service in either state, with who answers it before and after. */
export function trafficChanges(before: readonly KObject[], after: readonly KObject[]): CallerTraffic[] {
  const cluster = assumedCluster([...before, ...after]);
  const index = (objects: readonly KObject[]) => {
    const calls = new Map<string, Portion[]>();
    for (const service of behaviour(objects, cluster)) for (const c of service.calls) calls.set(`${service.service}\u0000${describeCaller(c.caller)}`, merged(c.shares.map(portion)));
    return calls;
  };
  const old = index(before);
  const now = index(after);
  const keys = [...new Set([...old.keys(), ...now.keys()])];
  return keys.map((key) => {
    const [service, caller] = key.split('\u0000') as [string, string];
    return { service, caller, before: old.get(key) ?? [], after: now.get(key) ?? [] };
  });
}

/** The share of a caller's requests a Deployment answers. */
export const shareOf = (portions: readonly Portion[], deployment: string) =>
  portions.reduce((sum, p) => sum + ('deployment' in p && p.deployment === deployment ? p.percent : 0), 0);
