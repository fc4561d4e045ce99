/** Readiness rules read from live objects: when a Deployment is rolled out, when a Canary is past its first deploy. */
import type { KObject } from './object.js';

/** kubectl rollout status's rule for a Deployment; undefined when rolled out, else what it waits for. */
export function deploymentPending(deployment: KObject): string | undefined {
  const spec = deployment.spec ?? {};
  const status = deployment.status ?? {};
  const want = spec.replicas ?? 1;
  if ((deployment.metadata.generation as number | undefined) !== undefined && (status.observedGeneration ?? 0) < (deployment.metadata.generation as number)) return 'waiting for the controller to see the new spec';
  const stuck = (status.conditions ?? []).find((c: { type: string; reason?: string }) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (stuck) return 'exceeded its progress deadline';
  const updated = status.updatedReplicas ?? 0;
  if (updated < want) return `${updated} of ${want} new replicas updated`;
  if ((status.replicas ?? 0) > updated) return `${(status.replicas ?? 0) - updated} old replicas pending termination`;
  if ((status.availableReplicas ?? 0) < updated) return `${status.availableReplicas ?? 0} of ${updated} updated replicas available`;
  return undefined;
}

/** Phases Flagger reaches only after the primary is ready and it has taken over the Service and VirtualService. */
const PAST_INITIALIZATION = new Set(['Initialized', 'Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising', 'Succeeded']);

export function canaryInitialized(canary: KObject | undefined): boolean {
  return canary !== undefined && PAST_INITIALIZATION.has(canary.status?.phase);
}

export function canaryPhase(canary: KObject | undefined): string {
  return canary?.status?.phase ?? 'not reported yet';
}
