import type { Emitter, PeerAuthentication } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** Refuses plain-text connections to the service's pods. */
export const peerAuthentication: Emitter<PeerAuthentication> = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  emit(plan) {
    if (!plan.security.mtls) return [];
    return [
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: meta(plan, plan.names.peerAuthentication),
        spec: { selector: { matchLabels: plan.selectors.pods }, mtls: { mode: 'STRICT' } },
      },
    ];
  },
};
