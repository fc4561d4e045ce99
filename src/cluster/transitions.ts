/**
 * Make before break: what apply does between two states of a spec so that no share of traffic is
 * ever routed to nothing, and so that it never fights the controller that takes over from it.
 */
import type { Log } from './apply.js';
import { asMember, PART_OF, type ApplySet } from './applyset.js';
import { FIELD_MANAGER, type Client } from './client.js';
import { describe, type KObject } from './object.js';
import { canaryInitialized, deploymentPending } from './rollout.js';
import { waitFor, type Clock } from './wait.js';

/**
 * The DestinationRule as compiled plus the live subsets a live VirtualService still sends traffic
 * to, or undefined when nothing needs keeping: removing a subset before the route that uses it
 * moves on makes Istio answer 503 for that share of traffic.
 */
export async function widenedRule(client: Client, rule: KObject): Promise<KObject | undefined> {
  const live = await client.get(rule);
  if (!live) return undefined;
  const wanted = new Set((rule.spec?.subsets ?? []).map((s: { name: string }) => s.name));
  const routes = await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: rule.metadata });
  const used = new Set<string>(
    (routes?.spec?.http ?? []).flatMap((h: { route?: { destination?: { subset?: string }; weight?: number }[] }) => (h.route ?? []).filter((r) => (r.weight ?? 100) > 0).map((r) => r.destination?.subset ?? '')),
  );
  const kept = (live.spec?.subsets ?? []).filter((s: { name: string }) => !wanted.has(s.name) && used.has(s.name));
  if (kept.length === 0) return undefined;
  return { ...rule, spec: { ...rule.spec, subsets: [...(rule.spec?.subsets ?? []), ...kept] } };
}

/**
 * Manual → Flagger, first phase: the live VirtualService servec applied routes to DestinationRule
 * subsets (`version: v2`), which Flagger's primary pods do not carry. Flagger points the Service at
 * its primary before it rewrites the VirtualService, so for that moment the subsets are empty. Until
 * Flagger takes over, the route goes to the Service itself (every ready pod of the model: the old
 * version's and the new target's), once the new target is ready, and before the Canary is applied.
 */
export async function handoverRouting(client: Client, set: ApplySet, canary: KObject, options: { force: boolean; timeoutMs: number }, log: Log, clock: Clock): Promise<boolean> {
  if (canaryInitialized(await client.get(canary))) return true;
  const apex = canary.spec?.service?.name ?? canary.spec?.targetRef?.name;
  const live = await client.get({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: apex, namespace: set.namespace } });
  if (!live || live.metadata.labels?.[PART_OF] !== set.id) return true;
  type Route = { destination: { host: string; subset?: string; port?: unknown }; weight?: number };
  const http: { route?: Route[] }[] = live.spec?.http ?? [];
  if (!http.some((h) => (h.route ?? []).some((r) => r.destination?.subset))) return true;
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: canary.spec?.targetRef?.name, namespace: set.namespace } };
  const ready = await waitFor(
    async () => {
      const deployment = await client.get(target);
      return deployment ? (deploymentPending(deployment) ? `${describe(target)}: ${deploymentPending(deployment)}` : undefined) : `${describe(target)}: not found`;
    },
    options.timeoutMs,
    log,
    clock,
  );
  if (!ready) {
    log.progress('applied all but the Canary (the new target is not ready, so Flagger must not start yet); nothing was deleted. Run servec apply again to continue the handover');
    return false;
  }
  const collapse = (routes: Route[]): Route[] => {
    const byHost = new Map<string, Route>();
    for (const route of routes) {
      const key = JSON.stringify([route.destination.host, route.destination.port]);
      const { subset: _subset, ...destination } = route.destination;
      const seen = byHost.get(key);
      if (seen) seen.weight = (seen.weight ?? 0) + (route.weight ?? 0);
      else byHost.set(key, { destination, weight: route.weight ?? 0 });
    }
    return [...byHost.values()].map((r) => (byHost.size === 1 ? { destination: r.destination } : r));
  };
  const labels = Object.fromEntries(Object.entries(live.metadata.labels ?? {}).filter(([k]) => k !== PART_OF));
  const transitional: KObject = {
    apiVersion: live.apiVersion,
    kind: 'VirtualService',
    metadata: { name: live.metadata.name, namespace: live.metadata.namespace, labels, ...(live.metadata.annotations ? { annotations: live.metadata.annotations } : {}) },
    spec: { ...live.spec, http: http.map((h) => ({ ...h, route: collapse(h.route ?? []) })) },
  };
  await client.apply(asMember(transitional, set), { force: options.force });
  log.progress(`${describe(transitional)} routes to the Service (no subsets) until Flagger takes it over`);
  return true;
}

/**
 * Flagger scales its target Deployment to 0 after the first deploy and owns spec.replicas from then
 * on; applying the compiled replicas again would be a 409 (or, forced, scale production's target
 * back up: fluxcd/flagger#570). So when another manager owns that field, servec leaves it out.
 */
async function replicasOwner(client: Client, deployment: KObject): Promise<string | undefined> {
  const live = await client.get(deployment);
  const entry = (live?.metadata.managedFields ?? []).find(
    (e) => e.manager !== FIELD_MANAGER && !(e as { subresource?: string }).subresource && (e.fieldsV1 as any)?.['f:spec']?.['f:replicas'] !== undefined,
  );
  return entry?.manager;
}

function withoutReplicas(deployment: KObject): KObject {
  const { replicas: _replicas, ...spec } = deployment.spec ?? {};
  return { ...deployment, spec };
}

/** The object apply sends for a compiled one; `note` says what was left out and why. */
export async function outgoing(client: Client, members: readonly KObject[], object: KObject): Promise<{ object: KObject; note?: string }> {
  const target = object.kind === 'Deployment' && members.some((m) => m.kind === 'Canary' && m.spec?.targetRef?.name === object.metadata.name && m.metadata.namespace === object.metadata.namespace);
  const owner = target ? await replicasOwner(client, object) : undefined;
  if (!owner) return { object };
  return { object: withoutReplicas(object), note: `${describe(object)}: spec.replicas left to ${owner}, which scales the Canary's target` };
}
