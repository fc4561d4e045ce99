import type { Model } from '../compiler/model.js';
import { meta, podsOfModel, principal } from './meta.js';
import type { AuthorizationPolicy } from './types.js';

/** Lets in only the ingress gateway and the callers the spec names. */
export function authorizationPolicy(model: Model): AuthorizationPolicy[] {
  if (!model.security.authorization) return [];
  const principals = [principal(model.gateway.serviceAccount), ...model.security.callers.map(principal)];
  return [
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: meta(model, model.names.authorizationPolicy),
      spec: { selector: { matchLabels: podsOfModel(model) }, action: 'ALLOW', rules: [{ from: [{ source: { principals } }] }] },
    },
  ];
}
