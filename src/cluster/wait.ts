/** Waiting on the cluster: polling with a deadline, and the "rolled out" wait of `apply --wait`. */
import { CLUSTER_EXIT } from './errors.js';
import type { Client } from './client.js';
import type { Log } from './apply.js';
import { describe, type KObject } from './object.js';
import { canaryInitialized, canaryPhase, deploymentPending } from './rollout.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How often the cluster is polled while waiting. */
  pollMs: number;
}

/** The wall clock; SERVEC_POLL_MS shortens the 2 s poll interval (tests against a local server). */
export function realClock(env: Record<string, string | undefined>): Clock {
  const poll = Number(env.SERVEC_POLL_MS);
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollMs: Number.isFinite(poll) && poll > 0 ? poll : 2000,
  };
}

/** Polls `pending` (undefined = done, else what is awaited) until done or the deadline; true when done. */
export async function waitFor(pending: () => Promise<string | undefined>, timeoutMs: number, log: Log, clock: Clock): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const waiting = await pending();
    if (waiting === undefined) return true;
    const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
    log.progress(`waiting: ${waiting} (${left} s left)`);
    if (clock.now() >= deadline) return false;
    await clock.sleep(Math.min(clock.pollMs, Math.max(1, deadline - clock.now())));
  }
}

/** What a set still waits for: Deployments rolled out (ready pods = model loaded) and Canaries initialized. */
export async function rolloutPending(client: Client, members: readonly KObject[]): Promise<string | undefined> {
  const targets = new Set(members.filter((m) => m.kind === 'Canary').map((c) => `${c.metadata.namespace}/${c.spec?.targetRef?.name}`));
  for (const member of members) {
    if (member.kind === 'Deployment' && !targets.has(`${member.metadata.namespace}/${member.metadata.name}`)) {
      const live = await client.get(member);
      const pending = live ? deploymentPending(live) : 'not found';
      if (pending) return `${describe(member)}: ${pending}`;
    }
    if (member.kind === 'Canary') {
      const live = await client.get(member);
      if (!canaryInitialized(live)) return `Canary ${member.metadata.namespace}/${member.metadata.name}: ${canaryPhase(live)}`;
      const primary = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${member.spec?.targetRef?.name}-primary`, namespace: member.metadata.namespace } };
      const live2 = await client.get(primary);
      const pending = live2 ? deploymentPending(live2) : 'not found';
      if (pending) return `${describe(primary)}: ${pending}`;
    }
  }
  return undefined;
}

export async function waitRolledOut(client: Client, members: readonly KObject[], timeoutMs: number, log: Log, clock: Clock): Promise<number> {
  const done = await waitFor(() => rolloutPending(client, members), timeoutMs, log, clock);
  if (done) return CLUSTER_EXIT.ok;
  log.progress(`timed out after ${Math.round(timeoutMs / 1000)} s; everything was applied, the rollout is still going on`);
  return CLUSTER_EXIT.timeout;
}
