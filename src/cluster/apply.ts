/**
 * `servec apply`: server-side apply of one ApplySet per spec, then pruning of what is no longer
 * emitted. The order makes every step safe to interrupt and to run again:
 *   1. discovery of every kind (a missing CRD stops the run before anything is written);
 *   2. the parent Secret lists the union of the old and new group-kinds (the inventory never loses
 *      sight of a member, even if the run stops after this point);
 *   3. every object is applied (field manager `servec`);
 *   4. when the set hands routing to Flagger, wait until its Canary is initialized (Flagger adopts
 *      the Service and VirtualService only once its primary is ready);
 *   5. prune (only when 3 and 4 fully succeeded), then narrow the parent to the new group-kinds.
 * Nothing is kept on disk: a rerun reads the cluster and continues from where it stopped.
 */
import { ClusterError, CLUSTER_EXIT } from './errors.js';
import { applySets, asMember, kindsOf, parentObject, type ApplySet } from './applyset.js';
import { Client } from './client.js';
import { describe, type KObject } from './object.js';
import { membersLive, parentKinds } from './inventory.js';
import { decidePrune, hasCanary } from './prune.js';
import { canaryInitialized, canaryPhase } from './rollout.js';
import { waitFor, waitRolledOut, type Clock } from './wait.js';

export const TOOLING = 'servec/v0.1.0';

export interface ApplyOptions {
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
  if (!options.dryRun) await client.apply(parentObject(set, [...oldKinds, ...newKinds], namespaces, TOOLING), { force: true });

  const applied: KObject[] = [];
  for (const object of set.members) {
    try {
      const before = options.dryRun ? await client.get(object) : undefined;
      const result = await client.apply(asMember(object, set), { dryRun: options.dryRun, force: options.force });
      applied.push(object);
      const verb = result.created || (options.dryRun && !before) ? 'created' : 'configured';
      log.out(`${describe(object)} ${verb}${suffix}`);
    } catch (error) {
      throw partial(error, set, applied, object);
    }
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
    if (!options.dryRun) await narrowParent(client, set, newKinds, decision.keep.map((k) => k.object));
    return CLUSTER_EXIT.ok;
  }
  const canary = hasCanary(set.members);
  if (canary && !options.dryRun) {
    const initialized = await waitFor(
      async () => {
        const live = await client.get(canary);
        return canaryInitialized(live) ? undefined : `Canary ${describe(canary)}: ${canaryPhase(live)}; pruning waits for Initialized (Flagger's primary ready)`;
      },
      options.timeoutMs,
      log,
      clock,
    );
    if (!initialized) {
      log.progress(`everything was applied; nothing was deleted. Run servec apply again to finish the handover to Flagger (${decision.remove.length} object(s) left to prune)`);
      return CLUSTER_EXIT.timeout;
    }
  }
  for (const object of decision.remove) {
    await client.delete(object, { dryRun: options.dryRun });
    log.out(`${describe(object)} pruned${options.dryRun ? ' (server dry run)' : ''}${canary && options.dryRun ? ' once the Canary is Initialized' : ''}`);
  }
  if (!options.dryRun) await narrowParent(client, set, newKinds, decision.keep.map((k) => k.object));
  return CLUSTER_EXIT.ok;
}

async function narrowParent(client: Client, set: ApplySet, newKinds: string[], kept: KObject[]): Promise<void> {
  const namespaces = [...set.members, ...kept].map((m) => m.metadata.namespace ?? set.namespace);
  await client.apply(parentObject(set, [...newKinds, ...kindsOf(kept)], namespaces, TOOLING), { force: true });
}

/** An error during step 3, restated with what was applied and what was not; nothing was deleted. */
function partial(error: unknown, set: ApplySet, applied: KObject[], failed: KObject): unknown {
  if (!(error instanceof ClusterError)) return error;
  const rest = set.members.slice(applied.length + 1);
  const lines = [
    error.message,
    `applied (${applied.length}): ${applied.map(describe).join(', ') || 'nothing'}`,
    `not applied (${rest.length + 1}): ${[failed, ...rest].map(describe).join(', ')}`,
    'nothing was deleted',
  ];
  const code = error.exitCode === CLUSTER_EXIT.unreachable && applied.length > 0 ? CLUSTER_EXIT.partial : error.exitCode;
  return new ClusterError(lines.join('\n'), code, error.hint ?? 'fix the cause and run servec apply again: applying is idempotent');
}
