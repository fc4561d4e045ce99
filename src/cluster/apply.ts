/**
 * `servec apply`: server-side apply (field manager `servec`) of one ApplySet per spec, then pruning
 * of what the specs no longer emit. The order makes every step safe to interrupt and to run again:
 *   1. discovery of every kind of every spec (a missing CRD stops the run before anything is written);
 *   2. the parent Secret lists the union of the old and new group-kinds (the inventory never loses
 *      sight of a member, even if the run stops after this point);
 *   3. everything but the routing and the Canary; then, once the Deployments are rolled out, the
 *      routing (transitions.ts: a DestinationRule keeps the subsets any live VirtualService still
 *      uses until every VirtualService moved on); then, for a handover to Flagger, each of the spec's
 *      VirtualServices re-applied without subsets, and the Canary;
 *   4. with a Canary, wait until Flagger reports it initialized (it adopts the Service and
 *      VirtualService only once its primary is ready);
 *   5. prune, only when 3 and 4 fully succeeded; then narrow the parent to the current group-kinds.
 * Nothing is kept on disk: a rerun reads the cluster and continues from where it stopped.
 */
import { ClusterError, CLUSTER_EXIT } from './errors.js';
import { applySets, asMember, kindsOf, parentObject, type ApplySet } from './applyset.js';
import type { Client } from './client.js';
import { describe, type KObject } from './object.js';
import { membersLive, parentKinds } from './inventory.js';
import { canaryOf } from '../transition/classify.js';
import { routesToFlagger } from '../transition/routes.js';
import { decidePrune } from './prune.js';
import { canaryInitialized, canaryPhase } from './rollout.js';
import { handoverRouting, liveRoutes, widenedRule } from './transitions.js';
import { rolloutPending, waitFor, waitRolledOut, type Clock } from './wait.js';

/** Kinds that send traffic: applied after the workloads they point at are ready. */
const ROUTING = new Set(['VirtualService', 'DestinationRule']);

export interface ApplyOptions {
  /** Who applies, as the ApplySet parent records it: servec/vVERSION. */
  tooling: string;
  dryRun: boolean;
  force: boolean;
  wait: boolean;
  timeoutMs: number;
  prune: boolean;
}

export interface Log {
  /** What changed, one line per object (stdout). */
  out: (line: string) => void;
  /** Progress and notes (stderr); overwritten in place on a terminal. */
  progress: (line: string) => void;
}

export async function applyAll(client: Client, objects: readonly KObject[], options: ApplyOptions, log: Log, clock: Clock): Promise<number> {
  const sets = applySets(objects);
  // Step 1 for every set first: a missing CRD must stop the run before any set is touched.
  for (const object of objects) await client.resource(object);
  let status: number = CLUSTER_EXIT.ok;
  for (const set of sets) {
    const code = await applySet(client, set, options, log, clock);
    if (code !== CLUSTER_EXIT.ok && status === CLUSTER_EXIT.ok) status = code;
  }
  return status;
}

async function applySet(client: Client, set: ApplySet, options: ApplyOptions, log: Log, clock: Clock): Promise<number> {
  const suffix = options.dryRun ? ' (server dry run)' : '';
  const oldKinds = await parentKinds(client, set);
  const newKinds = kindsOf(set.members);
  const namespaces = set.members.map((m) => m.metadata.namespace ?? set.namespace);
  if (!options.dryRun) await client.apply(parentObject(set, [...oldKinds, ...newKinds], namespaces, options.tooling), { force: true });

  // Make before break: workloads first, routing only once the pods it will send traffic to are ready;
  // a DestinationRule first keeps the subsets the live VirtualService still uses, until that moved on.
  const applied: KObject[] = [];
  const applyOne = async (object: KObject, sent: KObject = object) => {
    try {
      const before = options.dryRun ? await client.get(object) : undefined;
      const result = await client.apply(asMember(sent, set), { dryRun: options.dryRun, force: options.force });
      if (applied.includes(object)) return;
      applied.push(object);
      log.out(`${describe(object)} ${result.created || (options.dryRun && !before) ? 'created' : 'configured'}${suffix}`);
    } catch (error) {
      throw partial(error, set, applied, object);
    }
  };
  const canary = canaryOf(set.members);
  // A route of servec's to a Service Flagger creates (`NAME-primary`) has nothing to answer before
  // the Canary is Initialized: it goes out after that.
  const afterFlagger = canary ? set.members.filter((m) => m.kind === 'VirtualService' && routesToFlagger(m, canary)) : [];
  const routing = set.members.filter((m) => ROUTING.has(m.kind) && !afterFlagger.includes(m));
  // A Canary's target carries no spec.replicas (its HPA holds the count), so nothing here fights Flagger for it.
  for (const object of set.members.filter((m) => !ROUTING.has(m.kind) && m.kind !== 'Canary')) await applyOne(object);
  if (routing.length > 0 && !options.dryRun) {
    const deployments = set.members.filter((m) => m.kind === 'Deployment');
    if (!(await waitFor(() => rolloutPending(client, deployments), options.timeoutMs, log, clock))) {
      log.progress(`the workloads were applied, the routing was not (its new destinations are not ready): run servec apply again; nothing was deleted`);
      return CLUSTER_EXIT.timeout;
    }
  }
  const rules = routing.filter((m) => m.kind === 'DestinationRule');
  // Any live route may still name a subset the rule drops: the spec's mesh and gateway routes, and others'.
  const routes = options.dryRun || rules.length === 0 ? [] : await liveRoutes(client, set.namespace);
  const widened = options.dryRun ? [] : await Promise.all(rules.map((rule) => widenedRule(client, rule, routes)));
  for (const [i, rule] of rules.entries()) await applyOne(rule, widened[i] ?? rule);
  for (const object of routing.filter((m) => m.kind !== 'DestinationRule')) await applyOne(object);
  for (const [i, rule] of rules.entries()) if (widened[i]) await applyOne(rule);
  // The Canary last: Flagger starts the moment it sees it, and the routing must be ready for that.
  if (canary && !options.dryRun && !(await handoverRouting(client, set, canary, options, log, clock))) return CLUSTER_EXIT.timeout;
  for (const object of set.members.filter((m) => m.kind === 'Canary')) await applyOne(object);
  if (afterFlagger.length > 0) {
    if (canary && !options.dryRun && !(await waitInitialized(client, canary, `applying ${afterFlagger.map(describe).join(', ')}`, options, log, clock))) {
      log.progress(`applied all but ${afterFlagger.map(describe).join(', ')} (they route to Flagger's primary, not ready yet); nothing was deleted. Run servec apply again to finish the handover to Flagger`);
      return CLUSTER_EXIT.timeout;
    }
    for (const object of afterFlagger) await applyOne(object);
  }

  let status: number = CLUSTER_EXIT.ok;
  if (options.prune) status = await prune(client, set, oldKinds, newKinds, options, log, clock);
  if (status === CLUSTER_EXIT.ok && options.wait && !options.dryRun) status = await waitRolledOut(client, set.members, options.timeoutMs, log, clock);
  return status;
}

async function prune(client: Client, set: ApplySet, oldKinds: string[], newKinds: string[], options: ApplyOptions, log: Log, clock: Clock): Promise<number> {
  const live = await membersLive(client, set, [...new Set([...oldKinds, ...newKinds])]);
  const decision = decidePrune(live, set.members);
  for (const { object, reason } of decision.keep) log.progress(`kept ${describe(object)}: ${reason}`);
  if (decision.remove.length === 0) {
    if (!options.dryRun) await narrowParent(client, set, newKinds, decision.keep.map((k) => k.object), options.tooling);
    return CLUSTER_EXIT.ok;
  }
  const canary = canaryOf(set.members);
  if (canary && !options.dryRun) {
    if (!(await waitInitialized(client, canary, 'pruning', options, log, clock))) {
      log.progress(`everything was applied; nothing was deleted. Run servec apply again to finish the handover to Flagger (${decision.remove.length} object(s) left to prune)`);
      return CLUSTER_EXIT.timeout;
    }
  }
  for (const object of decision.remove) {
    await client.delete(object, { dryRun: options.dryRun });
    log.out(`${describe(object)} pruned${options.dryRun ? ' (server dry run)' : ''}${canary && options.dryRun ? ' once the Canary is Initialized' : ''}`);
  }
  if (!options.dryRun) await narrowParent(client, set, newKinds, decision.keep.map((k) => k.object), options.tooling);
  return CLUSTER_EXIT.ok;
}

/** Waits until Flagger reports the Canary Initialized (its primary ready); `what` is what waits. */
async function waitInitialized(client: Client, canary: KObject, what: string, options: ApplyOptions, log: Log, clock: Clock): Promise<boolean> {
  return waitFor(
    async () => {
      const live = await client.get(canary);
      return canaryInitialized(live) ? undefined : `Canary ${describe(canary)}: ${canaryPhase(live)}; ${what} waits for Initialized (Flagger's primary ready)`;
    },
    options.timeoutMs,
    log,
    clock,
  );
}

async function narrowParent(client: Client, set: ApplySet, newKinds: string[], kept: KObject[], tooling: string): Promise<void> {
  const namespaces = [...set.members, ...kept].map((m) => m.metadata.namespace ?? set.namespace);
  await client.apply(parentObject(set, [...newKinds, ...kindsOf(kept)], namespaces, tooling), { force: true });
}

/** An error during step 3, restated with what was applied and what was not; nothing was deleted. */
function partial(error: unknown, set: ApplySet, applied: KObject[], failed: KObject): unknown {
  if (!(error instanceof ClusterError)) return error;
  const rest = set.members.filter((m) => m !== failed && !applied.includes(m));
  const lines = [
    error.message.startsWith('applying ') ? error.message : `applying ${describe(failed)}: ${error.message}`,
    `applied (${applied.length}): ${applied.map(describe).join(', ') || 'nothing'}`,
    `not applied (${rest.length + 1}): ${[failed, ...rest].map(describe).join(', ')}`,
    'nothing was deleted',
  ];
  const code = error.exitCode === CLUSTER_EXIT.unreachable && applied.length > 0 ? CLUSTER_EXIT.partial : error.exitCode;
  const hint = code === CLUSTER_EXIT.partial ? 'run servec apply again once the cluster answers: applying is idempotent, and pruning happens only after a complete apply' : error.hint;
  return new ClusterError(lines.join('\n'), code, hint ?? 'fix the cause and run servec apply again: applying is idempotent');
}
