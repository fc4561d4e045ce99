/**
 * Which objects of an ApplySet are no longer emitted, and which of those must stay. An object is
 * kept when another controller owns or adopted it:
 *  - it has ownerReferences (Flagger's `-primary` Deployment and copied ConfigMaps/Secrets are owned
 *    by the Canary; a label copied onto them must never make them prunable, fluxcd/flagger#744);
 *  - a Canary of the set claims its name: Flagger adopts the Service and VirtualService named like
 *    the target and manages `NAME-primary`/`NAME-canary` (it adds no ownerReference when adopting);
 *  - another field manager writes its spec (a non-status entry in managedFields): someone else took it over.
 */
import { apexOf } from '../behaviour/flagger.js';
import { flaggerServices } from '../transition/routes.js';
import { FIELD_MANAGER } from './client.js';
import { keyOf, type KObject } from './object.js';

export interface PruneDecision {
  remove: KObject[];
  keep: { object: KObject; reason: string }[];
}

export function decidePrune(live: readonly KObject[], wanted: readonly KObject[]): PruneDecision {
  const wantedKeys = new Set(wanted.map(keyOf));
  const claimed = flaggerNames(wanted);
  const decision: PruneDecision = { remove: [], keep: [] };
  for (const object of live) {
    if (wantedKeys.has(keyOf(object))) continue;
    const reason = keepReason(object, claimed);
    if (reason) decision.keep.push({ object, reason });
    else decision.remove.push(object);
  }
  return decision;
}

function keepReason(object: KObject, claimed: Set<string>): string | undefined {
  const owners = object.metadata.ownerReferences ?? [];
  if (owners.length > 0) return `owned by ${owners.map((o) => `${o.kind} ${o.name}`).join(', ')}`;
  const where = `${object.metadata.namespace}/${object.metadata.name}`;
  if (claimed.has(where) || claimed.has(`${object.kind} ${where}`)) return 'adopted or managed by Flagger (named after a Canary)';
  const others = (object.metadata.managedFields ?? [])
    .filter((entry) => entry.manager !== FIELD_MANAGER && !(entry as { subresource?: string }).subresource)
    .map((entry) => entry.manager ?? 'unknown');
  if (others.length > 0) return `also written by ${[...new Set(others)].join(', ')}`;
  return undefined;
}

/** What Flagger adopts or manages for each Canary in the wanted set: `Kind namespace/name`, or `namespace/name` for any kind. */
function flaggerNames(wanted: readonly KObject[]): Set<string> {
  const names = new Set<string>();
  for (const object of wanted) {
    if (object.kind !== 'Canary') continue;
    const target = object.spec?.targetRef?.name ?? object.metadata.name;
    const apex = apexOf(object);
    const ns = object.metadata.namespace;
    // The apex Service and VirtualService are adopted; a DestinationRule of that name is left orphaned (prunable).
    names.add(`Service ${ns}/${apex}`).add(`VirtualService ${ns}/${apex}`);
    for (const name of [`${target}-primary`, ...flaggerServices(object)]) names.add(`${ns}/${name}`);
  }
  return names;
}

