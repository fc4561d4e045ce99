import type { Emitter, Gateway } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** The ingress gateway server the service is reached through, terminating TLS when a certificate is given; none on a shared Gateway. */
export const gateway: Emitter<Gateway> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  when: { routing: 'istio', gateway: 'own' },
  emit(plan) {
    const g = plan.gateway;
    return [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: meta(plan, g.name),
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
  },
};
