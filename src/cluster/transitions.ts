/**
 * Make before break: what apply does between two states of a spec so that no share of traffic is
 * ever routed to nothing, and so that it never fights the controller that takes over from it. Which
 * transition is under way is decided by the rules `servec plan` prints (`classify`, src/transition);
 * this file does what those rules require against the live objects.
 */
import { fqdn } from '../behaviour/match.js';
import { classify } from '../transition/classify.js';
import { routesToSubsets } from '../transition/routes.js';
import type { Log } from './apply.js';
import { asMember, PART_OF, type ApplySet } from './applyset.js';
import type { Client } from './client.js';
import { describe, type KObject } from './object.js';
import { canaryInitialized, deploymentPending } from './rollout.js';
import { waitFor, type Clock } from './wait.js';

type Route = { destination?: { host?: string; subset?: string; port?: unknown }; weight?: number };
type HttpRoute = { route?: Route[] };

const VIRTUAL_SERVICE = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };

/** Every live VirtualService of a namespace, whoever applied it: any of them may name a subset. */
export async function liveRoutes(client: Client, namespace: string): Promise<KObject[]> {
  const resource = await client.resources.resolve(VIRTUAL_SERVICE.apiVersion, VIRTUAL_SERVICE.kind);
  return client.list(resource, namespace, '');
}

/** The subsets of `host` that some live route sends traffic to (weight above 0). */
function subsetsInUse(routes: readonly KObject[], host: string): Set<string> {
  const used = new Set<string>();
  for (const vs of routes)
    for (const h of (vs.spec?.http ?? []) as HttpRoute[])
      for (const r of h.route ?? [])
        if ((r.weight ?? 100) > 0 && r.destination?.subset && fqdn(r.destination.host ?? '', vs.metadata.namespace ?? '') === host) used.add(r.destination.subset);
  return used;
}

/**
 * The DestinationRule as compiled plus the live subsets any live VirtualService still sends traffic
 * to, or undefined when nothing needs keeping: removing a subset before every route that uses it
 * moves on makes Istio answer 503 for that share of traffic. With a mesh route and a gateway route
 * per spec (and routes others wrote), one route alone does not tell.
 */
export async function widenedRule(client: Client, rule: KObject, routes: readonly KObject[]): Promise<KObject | undefined> {
  const live = await client.get(rule);
  if (!live) return undefined;
  const wanted = new Set((rule.spec?.subsets ?? []).map((s: { name: string }) => s.name));
  const used = subsetsInUse(routes, fqdn(rule.spec?.host ?? '', rule.metadata.namespace ?? ''));
  const kept = (live.spec?.subsets ?? []).filter((s: { name: string }) => !wanted.has(s.name) && used.has(s.name));
  if (kept.length === 0) return undefined;
  return { ...rule, spec: { ...rule.spec, subsets: [...(rule.spec?.subsets ?? []), ...kept] } };
}

/** The route as it was, with every destination's subset dropped: the Service itself, shares summed per host and port. */
function withoutSubsets(routes: Route[]): Route[] {
  const byHost = new Map<string, Route>();
  for (const route of routes) {
    const key = JSON.stringify([route.destination?.host, route.destination?.port]);
    const { subset: _subset, ...destination } = route.destination ?? {};
    const seen = byHost.get(key);
    if (seen) seen.weight = (seen.weight ?? 0) + (route.weight ?? 0);
    else byHost.set(key, { destination, weight: route.weight ?? 0 });
  }
  return [...byHost.values()].map((r) => (byHost.size === 1 ? { destination: r.destination } : r));
}

/**
 * Manual → Flagger, first phase. Each live VirtualService servec applied for the spec (the mesh one,
 * `NAME`, and the gateway one, `NAME-ingress`) routes to DestinationRule subsets (`version: v2`),
 * which Flagger's primary pods do not carry. Flagger points the Service at its primary before it
 * rewrites its VirtualService, so for that moment the subsets are empty. Until Flagger takes over,
 * every one of them goes to the Service itself (every ready pod of the model: the old version's and
 * the new target's), once the new target is ready, and before the Canary is applied. Flagger adopts
 * only the one named like the apex; the others stay members of the set, are pruned once the Canary
 * is Initialized, and until then answer beside Flagger's route (both to the Service, so either
 * serves a request the same way).
 */
export async function handoverRouting(client: Client, set: ApplySet, canary: KObject, options: { force: boolean; timeoutMs: number }, log: Log, clock: Clock): Promise<boolean> {
  const liveCanary = await client.get(canary);
  if (canaryInitialized(liveCanary)) return true;
  const ours = (await liveRoutes(client, set.namespace)).filter((vs) => vs.metadata.labels?.[PART_OF] === set.id);
  const before = [...ours, ...(liveCanary ? [liveCanary] : [])];
  if (!classify(before, set.members, []).some((t) => t.kind === 'manual-to-flagger')) return true;
  const moving = ours.filter(routesToSubsets);
  if (moving.length === 0) return true;
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
  for (const live of moving) {
    const labels = Object.fromEntries(Object.entries(live.metadata.labels ?? {}).filter(([k]) => k !== PART_OF));
    const transitional: KObject = {
      apiVersion: live.apiVersion,
      kind: 'VirtualService',
      metadata: { name: live.metadata.name, namespace: live.metadata.namespace, labels, ...(live.metadata.annotations ? { annotations: live.metadata.annotations } : {}) },
      spec: { ...live.spec, http: (live.spec?.http ?? []).map((h: HttpRoute) => ({ ...h, route: withoutSubsets(h.route ?? []) })) },
    };
    await client.apply(asMember(transitional, set), { force: options.force });
    log.progress(`${describe(transitional)} routes to the Service (no subsets) until Flagger takes over`);
  }
  return true;
}
