import type { AuthorizationPolicy, Emitter } from '../shared/types.js';
import { meta, principal } from '../shared/meta.js';

/** Lets in only the ingress gateway and the callers the spec names. */
export const authorizationPolicy: Emitter<AuthorizationPolicy> = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  emit(plan) {
    if (!plan.security.authorization) return [];
    const principals = [principal(plan.gateway.serviceAccount), ...plan.security.callers.map(principal)];
    return [
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: meta(plan, plan.names.authorizationPolicy),
        spec: { selector: { matchLabels: plan.selectors.pods }, action: 'ALLOW', rules: [{ from: [{ source: { principals } }] }] },
      },
    ];
  },
};
