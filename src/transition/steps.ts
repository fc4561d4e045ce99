/**
 * The safe sequence of steps between two states: make before break. Everything new is applied
 * before anything old is deleted; routing moves off a version before its pods, subsets or Gateway
 * go; Flagger takes over only from a ready target and is given back the routing only after servec's
 * own routing answers (facts: ROLLOUTS.md, "How Flagger treats objects it did not create").
 */
import type { KObject } from '../behaviour/index.js';
import { specOf, type Transition } from './classify.js';
import { describeRef, keyOf, refOf, type ObjectChanges, type Ref } from './objects.js';
import { apexOf } from '../behaviour/index.js';
import { routesToFlagger, routesToSubsets } from './routes.js';

export interface Step {
  action: 'check' | 'apply' | 'wait' | 'route' | 'suspend' | 'delete' | 'keep' | 'warn';
  text: string;
  objects?: Ref[];
}

const list = (refs: readonly Ref[]) => refs.map(describeRef).join(', ');
const has = (refs: readonly Ref[], kind: string, name?: string) => refs.filter((r) => r.kind === kind && (name === undefined || r.name === name));
const minus = (refs: readonly Ref[], out: readonly Ref[]) => refs.filter((r) => !out.some((o) => keyOf(o) === keyOf(r)));
/** Deletion order: what routes first, then what serves, then what it mounted or protected. */
const DELETE_RANK = ['Canary', 'VirtualService', 'Gateway', 'DestinationRule', 'AuthorizationPolicy', 'PeerAuthentication', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ConfigMap', 'Service'];
const deleteOrder = (refs: readonly Ref[]) => [...refs].sort((a, b) => rank(a) - rank(b));
const rank = (r: Ref) => (DELETE_RANK.indexOf(r.kind) + 1 || DELETE_RANK.length + 1);

export function safeSequence(changes: ObjectChanges, transitions: readonly Transition[], before: readonly KObject[], after: readonly KObject[]): Step[] {
  const steps: Step[] = [];
  const applied = [...changes.created, ...changes.changed];
  let deleted = [...changes.deleted];
  const rollouts = has(applied, 'Deployment');
  const waitRolledOut = (refs: readonly Ref[]) =>
    refs.length && steps.push({ action: 'wait', text: `until ${list(refs)} ${refs.length === 1 ? 'is' : 'are'} rolled out (every pod ready: the model downloaded and loaded)`, objects: [...refs] });

  for (const t of transitions) {
    if (t.kind === 'version-removed-with-traffic')
      steps.push({ action: 'warn', text: `${describeRef(t.deployment)} still answers ${t.shares.map((s) => `${s.percent}% of ${s.caller}`).join(', ')}: its share moves in one step. Safer: a state with its weight at 0 first, then remove it` });
    if (t.kind === 'gateway-change' && t.lost.length)
      steps.push({ action: 'warn', text: `after this change the gateway no longer routes ${t.lost.join(', ')}: move those clients first` });
    if (t.kind === 'gateway-change')
      for (const g of after.filter((o) => o.kind === 'Gateway' && t.gateways.some((r) => keyOf(r) === keyOf(refOf(o))))) {
        const secrets = ((g as Record<string, any>).spec?.servers ?? []).map((s: Record<string, any>) => s.tls?.credentialName).filter(Boolean);
        for (const secret of [...new Set<string>(secrets)])
          steps.push({ action: 'check', text: `Secret ${secret} exists in the ingress gateway's namespace before ${describeRef(refOf(g))} is applied (the gateway serves no certificate for its hosts otherwise)` });
      }
  }

  const toFlagger = transitions.find((t) => t.kind === 'manual-to-flagger');
  const toManual = transitions.find((t) => t.kind === 'flagger-to-manual');
  if (toFlagger && toFlagger.kind === 'manual-to-flagger') {
    const canary = toFlagger.canary;
    const canaryObject = after.find((o) => keyOf(refOf(o)) === keyOf(canary));
    // Flagger adopts the Service and VirtualService named after the apex, and rolls out the target Deployment.
    const apex = canaryObject ? apexOf(canaryObject) : canary.name;
    const target = (canaryObject as Record<string, any> | undefined)?.spec?.targetRef?.name ?? canary.name;
    const adopted = [...has(deleted, 'Service', apex), ...has(deleted, 'VirtualService', apex)];
    deleted = minus(deleted, adopted);
    // Routes of servec's to the Services Flagger creates (`APEX-primary`) have nothing to answer before its first deploy.
    const toFlaggers = canaryObject ? after.filter((o) => o.kind === 'VirtualService' && routesToFlagger(o, canaryObject)).map(refOf) : [];
    steps.push({ action: 'apply', text: `everything but the Canary; delete nothing yet (the old routing keeps serving)`, objects: minus(applied, [canary, ...toFlaggers]) });
    waitRolledOut(has(applied, 'Deployment', target));
    // Every route of the spec to subsets (the mesh one, NAME, and the gateway one, NAME-ingress): Flagger adopts only NAME.
    const routes = before.filter((o) => o.kind === 'VirtualService' && specOf(o) === toFlagger.spec && routesToSubsets(o));
    if (routes.length)
      steps.push({ action: 'route', text: `the spec's VirtualServices to the Service itself, without subsets (Flagger adopts only ${apex}; the others go once it is Initialized): Flagger points the Service at its primary before it rewrites its route, and the primary's pods carry no version label, so a subset route would answer 503 in between`, objects: routes.map(refOf) });
    steps.push({ action: 'apply', text: `the Canary`, objects: [canary] });
    steps.push({ action: 'wait', text: `until ${describeRef(canary)} reports status.phase Initialized (its primary is ready, the Service selects it, the VirtualService ${apex} is Flagger's)`, objects: [canary] });
    if (toFlaggers.length) steps.push({ action: 'apply', text: `the routes to Flagger's primary, now that it answers`, objects: minus(toFlaggers, [canary]) });
    if (adopted.length) steps.push({ action: 'keep', text: `${list(adopted)}: Flagger adopted them; take them out of any prune inventory (for kubectl: remove their applyset.kubernetes.io/part-of label), never delete them`, objects: adopted });
  } else if (toManual && toManual.kind === 'flagger-to-manual') {
    const canary = toManual.canary;
    const routing = applied.filter((r) => ['Service', 'DestinationRule', 'VirtualService'].includes(r.kind));
    steps.push({ action: 'check', text: `${describeRef(canary)} is at rest (status.phase Initialized or Succeeded), not in an analysis`, objects: [canary] });
    steps.push({ action: 'apply', text: `the new Deployments and what they mount; their pods also join Flagger's canary Service, which gets 0% at rest`, objects: minus(applied, routing) });
    waitRolledOut(rollouts);
    steps.push({ action: 'suspend', text: `${describeRef(canary)} (spec.suspend: true), so Flagger stops rewriting the Service and VirtualService`, objects: [canary] });
    steps.push({ action: 'apply', text: `servec's routing, taking over the fields Flagger owns (server-side apply with --force-conflicts): traffic moves from the primary to the versions' weights`, objects: routing });
    steps.push({ action: 'wait', text: `until the new routing answers (the VirtualService's weights are in effect)` });
  } else {
    const rules = has(applied, 'DestinationRule');
    const routes = has(applied, 'VirtualService');
    const rest = minus(applied, [...rules, ...routes]);
    if (routes.length && rollouts.length) {
      // Routes move only to ready pods, and a subset must exist before a route names it and outlive
      // every route to it: workloads, then the rule with both states' subsets, the route, the rule.
      steps.push({ action: 'apply', text: 'the workloads and what they use; delete nothing yet', objects: rest });
      waitRolledOut(rollouts);
      if (rules.length) steps.push({ action: 'apply', text: "the DestinationRule with the old subsets kept beside the new ones (the live route still names them)", objects: rules });
      steps.push({ action: 'apply', text: 'the VirtualService: traffic moves now', objects: routes });
      steps.push({ action: 'wait', text: 'until the new VirtualService is in effect (no request reaches the old subsets any more)', objects: routes });
      if (rules.length) steps.push({ action: 'apply', text: 'the DestinationRule as compiled (it drops the old subsets)', objects: rules });
    } else if (routes.length && deleted.some((r) => r.kind === 'Deployment')) {
      steps.push({ action: 'apply', text: 'the VirtualService (and the rest, but not the DestinationRule); delete nothing yet: traffic moves now', objects: minus(applied, rules) });
      steps.push({ action: 'wait', text: 'until the new VirtualService is in effect (no request reaches the removed versions any more)', objects: routes });
      if (rules.length) steps.push({ action: 'apply', text: 'the DestinationRule, now that no route names the subsets it drops', objects: rules });
    } else if (applied.length) {
      steps.push({ action: 'apply', text: deleted.length ? 'the new and changed objects; delete nothing yet' : 'the new and changed objects', objects: applied });
      if (deleted.length) waitRolledOut(rollouts);
      if (deleted.some((r) => r.kind === 'Deployment') && routes.length)
        steps.push({ action: 'wait', text: 'until the new VirtualService is in effect (no request reaches the removed versions any more)', objects: routes });
    }
  }
  if (deleted.length)
    steps.push({ action: 'delete', text: `what is no longer emitted, routing first, then workloads, then what they used${toManual ? ' (the Canary takes Flagger\'s primary, Services and DestinationRules with it; revertOnDeletion must stay false)' : ''}`, objects: deleteOrder(deleted) });
  return steps;
}
