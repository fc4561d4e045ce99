/** What a VirtualService routes to, as the plan and `servec apply` both need to know it. */
import { apexOf, type KObject } from '../behaviour/index.js';

type Any = Record<string, any>;

const destinations = (vs: KObject): Any[] => (((vs as Any).spec?.http ?? []) as Any[]).flatMap((h) => (h.route ?? []) as Any[]).map((r) => r.destination ?? {});

/** True when some route names a DestinationRule subset (pods Flagger's primary does not carry). */
export const routesToSubsets = (vs: KObject): boolean => destinations(vs).some((d) => d.subset);

/** The Services Flagger creates for a Canary: `APEX-primary` and `APEX-canary`. */
export function flaggerServices(canary: KObject): Set<string> {
  const apex = apexOf(canary);
  return new Set([`${apex}-primary`, `${apex}-canary`]);
}

/** True when a VirtualService sends traffic to a Service that exists only after Flagger's first deploy. */
export function routesToFlagger(vs: KObject, canary: KObject): boolean {
  const theirs = flaggerServices(canary);
  return destinations(vs).some((d) => theirs.has(String(d.host ?? '').split('.')[0]!));
}
