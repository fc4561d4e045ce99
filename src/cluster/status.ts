/**
 * `servec status`: per spec, the traffic each version should get and gets (from the live
 * VirtualService), its ready replicas (TF Serving's readiness probe passes once the pinned model
 * version is loaded, so ready pods = model loaded), and the Canary's progress when Flagger rolls out.
 */
import { applySets } from './applyset.js';
import type { Client } from './client.js';
import type { KObject } from './object.js';
import { canaryInitialized, deploymentPending } from './rollout.js';

export interface VersionStatus {
  version: string;
  deployment: string;
  desiredWeight: number | null;
  liveWeight: number | null;
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

export async function statusAll(client: Client, objects: readonly KObject[]): Promise<SpecStatus[]> {
  const out: SpecStatus[] = [];
  for (const set of applySets(objects)) {
    const problems: string[] = [];
    const canary = set.members.find((m) => m.kind === 'Canary');
    // In flagger mode the weighted VirtualService is Flagger's (named after the apex Service); the one
    // servec emits there routes the API Flagger does not canary to the primary.
    const routing = canary ? undefined : set.members.find((m) => m.kind === 'VirtualService');
    const desired = routing ? weights(routing) : new Map<string, number>();
    const liveRouting = routing ? await client.get(routing) : canary ? await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: canary.spec?.service?.name ?? canary.metadata.name, namespace: set.namespace } }) : undefined;
    const live = liveRouting ? weights(liveRouting) : new Map<string, number>();
    if ((routing || canary) && !liveRouting) problems.push('the VirtualService is not live');
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
      const subset = canary ? `${canary.spec?.service?.name ?? canary.spec?.targetRef?.name}-${version}` : version;
      const readyReplicas = liveDeployment?.status?.readyReplicas ?? 0;
      const replicas = liveDeployment?.spec?.replicas ?? 0;
      const rollout = liveDeployment ? deploymentPending(liveDeployment) ?? 'rolled out' : 'not found';
      const status: VersionStatus = {
        version,
        deployment: object.metadata.name,
        desiredWeight: canary ? null : desired.get(subset) ?? 0,
        liveWeight: live.get(subset) ?? (canary ? live.get(version) ?? null : null),
        replicas,
        readyReplicas,
        modelLoaded: readyReplicas > 0,
        rollout,
      };
      versions.push(status);
      const serves = canary ? version === 'primary' || (status.liveWeight ?? 0) > 0 : (status.desiredWeight ?? 0) > 0;
      if (serves && !status.modelLoaded) problems.push(`${version}: receives traffic but no pod has loaded the model`);
      if (!liveDeployment && (!canary || version === 'primary')) problems.push(`${version}: Deployment ${object.metadata.name} is not live`);
      else if (liveDeployment && rollout !== 'rolled out' && !(canary && version === 'canary')) problems.push(`${version}: ${rollout}`);
      if (!canary && liveRouting && status.liveWeight !== status.desiredWeight) problems.push(`${version}: live weight ${status.liveWeight ?? 0}, desired ${status.desiredWeight}`);
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

/** Weight per destination subset, from the VirtualService's last (catch-all) HTTP route; Flagger's routes name hosts, not subsets. */
function weights(virtualService: KObject): Map<string, number> {
  const http: { route?: { destination?: { host?: string; subset?: string }; weight?: number }[] }[] = virtualService.spec?.http ?? [];
  const routes = http[http.length - 1]?.route ?? [];
  const out = new Map<string, number>();
  for (const route of routes) {
    const key = route.destination?.subset ?? (route.destination?.host ?? '').split('.')[0]!;
    out.set(key, (out.get(key) ?? 0) + (route.weight ?? (routes.length === 1 ? 100 : 0)));
  }
  return out;
}

export function renderStatus(specs: readonly SpecStatus[]): string {
  const lines: string[] = [];
  for (const spec of specs) {
    lines.push(`${spec.namespace}/${spec.name}: ${spec.problems.length === 0 ? 'healthy' : 'degraded'}`);
    lines.push('  VERSION   DEPLOYMENT                     WEIGHT(desired/live)  READY  MODEL    ROLLOUT');
    for (const v of spec.versions) {
      const weight = `${v.desiredWeight ?? '-'}/${v.liveWeight ?? '-'}`;
      lines.push(`  ${v.version.padEnd(9)} ${v.deployment.padEnd(30)} ${weight.padEnd(21)} ${`${v.readyReplicas}/${v.replicas}`.padEnd(6)} ${(v.modelLoaded ? 'loaded' : 'not yet').padEnd(8)} ${v.rollout}`);
    }
    if (spec.canary) {
      const c = spec.canary;
      lines.push(`  canary ${c.name}: phase ${c.phase ?? '-'}, weight ${c.canaryWeight ?? '-'}, failed checks ${c.failedChecks ?? '-'}, last transition ${c.lastTransitionTime ?? '-'}`);
    }
    for (const problem of spec.problems) lines.push(`  ! ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
