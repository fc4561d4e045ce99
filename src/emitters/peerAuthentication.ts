import type { Model } from '../compiler/model.js';
import { meta, podsOfModel } from './meta.js';
import type { PeerAuthentication } from './types.js';

/** Refuses plain-text connections to the model's pods. */
export function peerAuthentication(model: Model): PeerAuthentication[] {
  if (!model.security.mtls) return [];
  return [
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: meta(model, model.names.peerAuthentication),
      spec: { selector: { matchLabels: podsOfModel(model) }, mtls: { mode: 'STRICT' } },
    },
  ];
}
