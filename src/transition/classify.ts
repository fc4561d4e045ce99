/**
 * The transitions that need an order, per spec. Exported for `servec apply`, which must follow the
 * same rules: a pure function of the two states' objects.
 */
import type { KObject } from '../behaviour/index.js';
import { describeRef, diffObjects, keyOf, refOf, type Ref } from './objects.js';
import { shareOf, type CallerTraffic } from './traffic.js';

type Any = Record<string, any>;

export type Transition =
  /** A Canary appears: Flagger takes over the Service and VirtualService once its primary is ready. */
  | { kind: 'manual-to-flagger'; spec: string; canary: Ref }
  /** The Canary goes: servec's routing must take traffic back before Flagger's objects go. */
  | { kind: 'flagger-to-manual'; spec: string; canary: Ref }
  /** A Deployment that answers requests before is no longer emitted. */
  | { kind: 'version-removed-with-traffic'; spec: string; deployment: Ref; shares: Array<{ caller: string; percent: number }> }
  /** The entry point changes: a Gateway is created, changed or deleted, or a gateway caller loses its route. */
  | { kind: 'gateway-change'; spec: string; gateways: Ref[]; lost: string[] };

/** The spec an object belongs to: `namespace/name` from servec's name label (older output has no instance label). */
export const specOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.labels?.['app.kubernetes.io/name'] ?? o.metadata.name}`;

/** The Canary among a spec's objects: when there is one, Flagger owns the routing. */
export const canaryOf = (objects: readonly KObject[]) => objects.find((o) => o.kind === 'Canary');

/** Every transition between two states that needs an order, in a stable order (spec, then kind). */
export function classify(before: readonly KObject[], after: readonly KObject[], traffic: readonly CallerTraffic[]): Transition[] {
  const specs = [...new Set([...before, ...after].map(specOf))].sort();
  const out: Transition[] = [];
  for (const spec of specs) {
    const old = before.filter((o) => specOf(o) === spec);
    const now = after.filter((o) => specOf(o) === spec);
    const wasCanary = canaryOf(old);
    const isCanary = canaryOf(now);
    if (!wasCanary && isCanary && old.length > 0) out.push({ kind: 'manual-to-flagger', spec, canary: refOf(isCanary) });
    if (wasCanary && !isCanary && now.length > 0) out.push({ kind: 'flagger-to-manual', spec, canary: refOf(wasCanary) });
    const kept = new Set(now.map((o) => keyOf(refOf(o))));
    // A switch of mode moves every version's traffic by its own handover; no separate warning.
    const switching = Boolean(wasCanary) !== Boolean(isCanary) && old.length > 0 && now.length > 0;
    for (const d of switching ? [] : old.filter((o) => o.kind === 'Deployment' && !kept.has(keyOf(refOf(o))))) {
      // In flagger mode the pods that answer are Flagger's primary copy of the target.
      const serving = wasCanary && (wasCanary as Any).spec?.targetRef?.name === d.metadata.name ? [d.metadata.name, `${d.metadata.name}-primary`] : [d.metadata.name];
      const shares = traffic
        .filter((t) => t.service === spec)
        .map((t) => ({ caller: t.caller, percent: serving.reduce((sum, name) => sum + shareOf(t.before, name), 0) }))
        .filter((s) => s.percent > 0);
      if (shares.length) out.push({ kind: 'version-removed-with-traffic', spec, deployment: refOf(d), shares });
    }
    const gatewayChanges = diffObjects(
      old.filter((o) => o.kind === 'Gateway'),
      now.filter((o) => o.kind === 'Gateway'),
    );
    const gateways = [...gatewayChanges.created, ...gatewayChanges.changed, ...gatewayChanges.deleted];
    const lost = traffic
      .filter((t) => t.service === spec && t.caller.startsWith('gateway ') && t.before.some((p) => 'deployment' in p) && !t.after.some((p) => 'deployment' in p))
      .map((t) => t.caller);
    if (gateways.length || lost.length) out.push({ kind: 'gateway-change', spec, gateways, lost: [...new Set(lost)] });
  }
  return out;
}

/** One line naming a transition, for the plan's summary. */
export function describeTransition(t: Transition): string {
  switch (t.kind) {
    case 'manual-to-flagger':
      return `${t.spec}: manual → flagger (${describeRef(t.canary)} takes over the routing)`;
    case 'flagger-to-manual':
      return `${t.spec}: flagger → manual (${describeRef(t.canary)} hands the routing back)`;
    case 'version-removed-with-traffic':
      return `${t.spec}: ${describeRef(t.deployment)} is removed while it answers ${t.shares.map((s) => `${s.percent}% of ${s.caller}`).join(', ')}`;
    case 'gateway-change':
      return `${t.spec}: the entry point changes (${[...t.gateways.map(describeRef), ...t.lost.map((c) => `${c} loses its route`)].join('; ')})`;
  }
}
