import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { Gateway } from './types.js';

/** The ingress gateway server the model is reached through, terminating TLS when a certificate is given. */
export function gateway(model: Model): Gateway[] {
  const g = model.gateway;
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: meta(model, g.name),
      spec: {
        selector: g.selector,
        servers: [
          {
            port: { number: g.port, name: `${g.protocol.toLowerCase()}-${g.port}`, protocol: g.protocol },
            hosts: g.hosts,
            ...(g.tlsSecret && { tls: { mode: 'SIMPLE' as const, credentialName: g.tlsSecret, minProtocolVersion: 'TLSV1_2' } }),
          },
        ],
      },
    },
  ];
}
