/**
 * `servec status`: per spec, the traffic each version should get and gets, per caller class (the
 * mesh and the gateway: a spec routes each through its own VirtualService, `NAME` and
 * `NAME-ingress`, and Flagger's route may bind both), its ready replicas (TF Serving's readiness
 * probe passes once the pinned model version is loaded, so ready pods = model loaded), and the
 * Canary's progress when Flagger rolls out.
 */
import { applySets } from './applyset.js';
import type { Client } from './client.js';
import { describe, type KObject } from './object.js';
import { canaryInitialized, deploymentPending } from './rollout.js';
import { apexOf } from '../behaviour/flagger.js';

/** The callers a VirtualService answers: in-mesh clients (`mesh`, or no gateways) and the ingress gateway. */
export const CALLER_CLASSES = ['mesh', 'gateway'] as const;
export type CallerClass = (typeof CALLER_CLASSES)[number];

/** A version's share per caller class, in percent; null when no route of that class names the version's pods. */
export type Weights = Record<CallerClass, number | null>;

export interface VersionStatus {
  version: string;
  deployment: string;
  /** What the spec routes (null per class in flagger mode: Flagger sets the weights). */
  desiredWeight: Weights;
  liveWeight: Weights;
  replicas: number;
  readyReplicas: number;
  modelLoaded: boolean;
  rollout: string;
}

export interface CanaryStatus {
  name: string;
  phase: string | null;
  canaryWeight: number | null;
  failedChecks: number | null;
  lastTransitionTime: string | null;
}

export interface SpecStatus {
  name: string;
  namespace: string;
  versions: VersionStatus[];
  canary: CanaryStatus | null;
  problems: string[];
}

type Route = { destination?: { host?: string; subset?: string }; weight?: number };
/** One HTTP route of one VirtualService: the caller classes it answers and the share per destination. */
interface RouteWeights {
  label: string;
  classes: CallerClass[];
  shares: Map<string, number>;
}

const NONE: Weights = { mesh: null, gateway: null };

export async function statusAll(client: Client, objects: readonly KObject[]): Promise<SpecStatus[]> {
  const out: SpecStatus[] = [];
  for (const set of applySets(objects)) {
    const problems: string[] = [];
    const canary = set.members.find((m) => m.kind === 'Canary');
    const routing = set.members.filter((m) => m.kind === 'VirtualService');
    const apex = canary ? apexOf(canary) : '';
    // In flagger mode the weights are Flagger's, on the route it took over (named like the apex);
    // servec's own routes there send the API Flagger does not canary to the primary only.
    const read = canary ? [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: apex, namespace: set.namespace } }, ...routing.filter((r) => r.metadata.name !== apex)] : routing;
    const desired = canary ? [] : routing.flatMap(routeWeights);
    const live: RouteWeights[] = [];
    for (const object of read) {
      const found = await client.get(object);
      if (!found) problems.push(`${describe(object)} is not live`);
      else if (!canary || object.metadata.name === apex) live.push(...routeWeights(found));
    }
    const deployments: { version: string; object: KObject }[] = [];
    if (canary) {
      const target = canary.spec?.targetRef?.name;
      deployments.push({ version: 'primary', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${target}-primary`, namespace: set.namespace } } });
      deployments.push({ version: 'canary', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: target, namespace: set.namespace } } });
    } else {
      for (const d of set.members.filter((m) => m.kind === 'Deployment')) deployments.push({ version: d.metadata.labels?.version ?? d.metadata.name, object: d });
    }
    const versions: VersionStatus[] = [];
    for (const { version, object } of deployments) {
      const liveDeployment = await client.get(object);
      // Manual routes name DestinationRule subsets; Flagger's name its `-primary` and `-canary` Services.
      const key = canary ? `${apex}-${version}` : version;
      const readyReplicas = liveDeployment?.status?.readyReplicas ?? 0;
      const replicas = liveDeployment?.spec?.replicas ?? 0;
      const rollout = liveDeployment ? deploymentPending(liveDeployment) ?? 'rolled out' : 'not found';
      const status: VersionStatus = {
        version,
        deployment: object.metadata.name,
        desiredWeight: canary ? NONE : perClass(desired, key),
        liveWeight: perClass(live, key),
        replicas,
        readyReplicas,
        modelLoaded: readyReplicas > 0,
        rollout,
      };
      versions.push(status);
      const weighted = (w: Weights) => CALLER_CLASSES.some((c) => (w[c] ?? 0) > 0);
      const serves = canary ? version === 'primary' || weighted(status.liveWeight) : weighted(status.desiredWeight);
      if (serves && !status.modelLoaded) problems.push(`${version}: receives traffic but no pod has loaded the model`);
      if (!liveDeployment && (!canary || version === 'primary')) problems.push(`${version}: Deployment ${object.metadata.name} is not live`);
      else if (liveDeployment && rollout !== 'rolled out' && !(canary && version === 'canary')) problems.push(`${version}: ${rollout}`);
      if (!canary) problems.push(...drift(desired, live, key, version));
    }
    let canaryStatus: CanaryStatus | null = null;
    if (canary) {
      const liveCanary = await client.get(canary);
      const s = liveCanary?.status ?? {};
      const last = (s.conditions ?? []).map((c: { lastTransitionTime?: string }) => c.lastTransitionTime).filter(Boolean).sort().pop();
      canaryStatus = { name: canary.metadata.name, phase: s.phase ?? null, canaryWeight: s.canaryWeight ?? null, failedChecks: s.failedChecks ?? null, lastTransitionTime: s.lastTransitionTime ?? last ?? null };
      if (!liveCanary) problems.push('the Canary is not live');
      else if (s.phase === 'Failed') problems.push(`the Canary failed (${s.failedChecks ?? 0} failed checks)`);
      else if (!canaryInitialized(liveCanary)) problems.push(`the Canary is ${s.phase ?? 'not initialized yet'}`);
    }
    out.push({ name: set.instance, namespace: set.namespace, versions, canary: canaryStatus, problems });
  }
  return out;
}

/** Istio binds a VirtualService to the mesh when it lists `mesh` or no gateway at all. */
function classesOf(virtualService: KObject): CallerClass[] {
  const gateways: string[] = virtualService.spec?.gateways ?? [];
  const classes: CallerClass[] = [];
  if (gateways.length === 0 || gateways.includes('mesh')) classes.push('mesh');
  if (gateways.some((g) => g !== 'mesh')) classes.push('gateway');
  return classes;
}

/** Every HTTP route of a VirtualService with its share per destination subset (or per host's first label when no subset). */
function routeWeights(virtualService: KObject): RouteWeights[] {
  const classes = classesOf(virtualService);
  return ((virtualService.spec?.http ?? []) as { name?: string; route?: Route[] }[]).map((h, i) => {
    const routes = h.route ?? [];
    const shares = new Map<string, number>();
    for (const route of routes) {
      const key = route.destination?.subset ?? (route.destination?.host ?? '').split('.')[0]!;
      shares.set(key, (shares.get(key) ?? 0) + (route.weight ?? (routes.length === 1 ? 100 : 0)));
    }
    return { label: `${virtualService.metadata.name} ${h.name ?? `#${i + 1}`}`, classes, shares };
  });
}

/** A version's share per class: the one every route of that class gives it; null without such a route or when they differ (drift says where). */
function perClass(routes: readonly RouteWeights[], key: string): Weights {
  const out: Weights = { mesh: null, gateway: null };
  for (const c of CALLER_CLASSES) {
    const values = [...new Set(routes.filter((r) => r.classes.includes(c)).map((r) => r.shares.get(key) ?? 0))];
    out[c] = values.length === 1 ? values[0]! : null;
  }
  return out;
}

/** Each route whose live share of a version differs from the compiled one, naming the route (its caller class is in its name). */
function drift(desired: readonly RouteWeights[], live: readonly RouteWeights[], key: string, version: string): string[] {
  const problems: string[] = [];
  for (const want of desired) {
    const got = live.find((r) => r.label === want.label);
    if (!got) continue; // reported as not live
    const [a, b] = [want.shares.get(key) ?? 0, got.shares.get(key) ?? 0];
    if (a !== b) problems.push(`${version}: ${want.classes.join('+')} route ${want.label}: live weight ${b}, desired ${a}`);
  }
  return problems;
}

export function renderStatus(specs: readonly SpecStatus[]): string {
  const lines: string[] = [];
  const pair = (desired: number | null, live: number | null) => `${desired ?? '-'}/${live ?? '-'}`;
  for (const spec of specs) {
    lines.push(`${spec.namespace}/${spec.name}: ${spec.problems.length === 0 ? 'healthy' : 'degraded'}`);
    lines.push('  VERSION   DEPLOYMENT                     MESH(desired/live)  GATEWAY(desired/live)  READY  MODEL    ROLLOUT');
    for (const v of spec.versions) {
      const mesh = pair(v.desiredWeight.mesh, v.liveWeight.mesh);
      const gateway = pair(v.desiredWeight.gateway, v.liveWeight.gateway);
      lines.push(`  ${v.version.padEnd(9)} ${v.deployment.padEnd(30)} ${mesh.padEnd(19)} ${gateway.padEnd(22)} ${`${v.readyReplicas}/${v.replicas}`.padEnd(6)} ${(v.modelLoaded ? 'loaded' : 'not yet').padEnd(8)} ${v.rollout}`);
    }
    if (spec.canary) {
      const c = spec.canary;
      lines.push(`  canary ${c.name}: phase ${c.phase ?? '-'}, weight ${c.canaryWeight ?? '-'}, failed checks ${c.failedChecks ?? '-'}, last transition ${c.lastTransitionTime ?? '-'}`);
    }
    for (const problem of spec.problems) lines.push(`  ! ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
