import type { Emitter, ServiceEntry } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/**
 * Lets the service's pods reach what they need outside the mesh: the concrete S3 hosts of its bucket
 * (no wildcards: DNS resolution rejects them) and, when S3 is read through the proxy, the endpoint
 * its credentials come from (STS, or the instance metadata at its fixed address).
 */
export const serviceEntry: Emitter<ServiceEntry> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  emit: (plan) =>
    plan.storage.egress.map((e) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: meta(plan, e.name),
      spec: {
        hosts: e.hosts,
        ...(e.addresses && { addresses: e.addresses, endpoints: e.addresses.map((address) => ({ address })) }),
        location: 'MESH_EXTERNAL',
        resolution: e.resolution,
        ports: [{ number: e.port, name: `${e.protocol.toLowerCase()}-${e.port}`, protocol: e.protocol }],
        exportTo: ['.'],
      },
    })),
};
