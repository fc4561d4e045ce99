import type { ServicePlan } from '../plan/index.js';
import { canary } from './flagger/canary.js';
import { metricTemplate } from './flagger/metricTemplate.js';
import { flaggerPrimaryRoute } from './flagger/primaryRoute.js';
import { authorizationPolicy } from './istio/authorizationPolicy.js';
import { destinationRule } from './istio/destinationRule.js';
import { gateway } from './istio/gateway.js';
import { peerAuthentication } from './istio/peerAuthentication.js';
import { serviceEntry } from './istio/serviceEntry.js';
import { virtualService } from './istio/virtualService.js';
import { configMap } from './kubernetes/configMap.js';
import { deployment } from './kubernetes/deployment.js';
import { horizontalPodAutoscaler } from './kubernetes/horizontalPodAutoscaler.js';
import { podDisruptionBudget } from './kubernetes/podDisruptionBudget.js';
import { service } from './kubernetes/service.js';
import { serviceAccount } from './kubernetes/serviceAccount.js';
import type { Emitter, K8sObject } from './shared/types.js';

/**
 * Every output kind, in output order: the order `kubectl apply` should create them in (identities
 * and config before the workloads that use them, routing after the workloads it routes to).
 */
export const EMITTERS: readonly Emitter[] = [
  serviceAccount,
  configMap,
  service,
  deployment,
  horizontalPodAutoscaler,
  podDisruptionBudget,
  serviceEntry,
  gateway,
  destinationRule,
  virtualService,
  flaggerPrimaryRoute,
  peerAuthentication,
  authorizationPolicy,
  metricTemplate,
  canary,
] as Emitter[];

/** The key objects are ordered by: apiVersion and kind (two kinds may share a name across APIs). */
export function kindKey(object: { apiVersion: string; kind: string }): string {
  return `${object.apiVersion} ${object.kind}`;
}

/**
 * The rank of each apiVersion + kind in the output. Several entries may write one kind for
 * different plans (say, a route per traffic mode): they stand together and share the rank.
 */
export const KIND_ORDER: ReadonlyMap<string, number> = EMITTERS.reduce((order, e) => (order.has(kindKey(e)) ? order : order.set(kindKey(e), order.size)), new Map<string, number>());

/** Whether an output kind applies to a plan (its traffic mode, routing target and gateway). */
export function applies(emitter: Emitter, plan: ServicePlan): boolean {
  const when = emitter.when ?? {};
  return (
    (when.mode === undefined || when.mode === plan.mode) &&
    (when.routing === undefined || when.routing === plan.routing) &&
    (when.gateway === undefined || when.gateway === plan.gateway.kind)
  );
}

export function emit(plan: ServicePlan): K8sObject[] {
  return EMITTERS.flatMap((emitter) => (applies(emitter, plan) ? emitter.emit(plan) : []));
}

export type { Emitter, K8sObject } from './shared/types.js';
