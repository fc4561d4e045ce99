import type { Emitter, ServiceEntry } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** Lets the service's pods reach the concrete S3 hosts of its bucket (no wildcards: DNS resolution rejects them). */
export const serviceEntry: Emitter<ServiceEntry> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  emit(plan) {
    const egress = plan.storage.egress;
    if (!egress) return [];
    return [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: meta(plan, plan.names.serviceEntry),
        spec: {
          hosts: egress.hosts,
          location: 'MESH_EXTERNAL',
          resolution: 'DNS',
          ports: [{ number: egress.port, name: `${egress.protocol.toLowerCase()}-${egress.port}`, protocol: egress.protocol }],
          exportTo: ['.'],
        },
      },
    ];
  },
};
