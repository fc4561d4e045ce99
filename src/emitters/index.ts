import type { Model } from '../compiler/model.js';
import { authorizationPolicy } from './authorizationPolicy.js';
import { canary } from './canary.js';
import { configMap } from './configMap.js';
import { deployment } from './deployment.js';
import { destinationRule } from './destinationRule.js';
import { gateway } from './gateway.js';
import { horizontalPodAutoscaler } from './horizontalPodAutoscaler.js';
import { metricTemplate } from './metricTemplate.js';
import { peerAuthentication } from './peerAuthentication.js';
import { podDisruptionBudget } from './podDisruptionBudget.js';
import { service } from './service.js';
import { serviceAccount } from './serviceAccount.js';
import { serviceEntry } from './serviceEntry.js';
import type { Emitter, K8sObject } from './types.js';
import { virtualService } from './virtualService.js';

/**
 * Every emitter, in output order: the order `kubectl apply` should create them in (identities and
 * config before the workloads that use them, routing after the workloads it routes to).
 */
export const EMITTERS: ReadonlyArray<readonly [kind: string, emit: Emitter]> = [
  ['ServiceAccount', serviceAccount],
  ['ConfigMap', configMap],
  ['Service', service],
  ['Deployment', deployment],
  ['HorizontalPodAutoscaler', horizontalPodAutoscaler],
  ['PodDisruptionBudget', podDisruptionBudget],
  ['ServiceEntry', serviceEntry],
  ['Gateway', gateway],
  ['DestinationRule', destinationRule],
  ['VirtualService', virtualService],
  ['PeerAuthentication', peerAuthentication],
  ['AuthorizationPolicy', authorizationPolicy],
  ['MetricTemplate', metricTemplate],
  ['Canary', canary],
];

export const KIND_ORDER: ReadonlyMap<string, number> = new Map(EMITTERS.map(([kind], i) => [kind, i]));

export function emit(model: Model): K8sObject[] {
  return EMITTERS.flatMap(([, emitter]) => emitter(model));
}

export type { K8sObject } from './types.js';
