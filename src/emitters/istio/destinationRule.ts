import type { DestinationRule, Emitter } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** One subset per version, selected by its subset labels; mutual TLS inside the mesh. Flagger writes its own. */
export const destinationRule: Emitter<DestinationRule> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  when: { mode: 'manual', routing: 'istio' },
  emit: (plan) => [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(plan, plan.names.destinationRule),
      spec: {
        host: plan.names.serviceHost,
        ...(plan.security.mtls && { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' as const } } }),
        subsets: plan.versions.map((v) => ({ name: v.name, labels: v.subset })),
      },
    },
  ],
};
