import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { DestinationRule } from './types.js';

/** One subset per version, selected by its `version` label; mutual TLS inside the mesh. */
export function destinationRule(model: Model): DestinationRule[] {
  if (model.mode === 'flagger') return [];
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(model, model.names.destinationRule),
      spec: {
        host: model.names.serviceHost,
        ...(model.security.mtls && { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' as const } } }),
        subsets: model.versions.map((v) => ({ name: v.name, labels: { version: v.name } })),
      },
    },
  ];
}
