import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { ServiceEntry } from './types.js';

/** Lets the model's pods reach the concrete S3 hosts of its bucket (no wildcards: DNS resolution rejects them). */
export function serviceEntry(model: Model): ServiceEntry[] {
  const s = model.storage;
  if (s.endpoint && /\.svc(\.cluster\.local)?$/.test(s.endpoint.host)) return []; // inside the mesh already
  const hosts = s.endpoint ? [s.endpoint.host] : awsHosts(s.bucket, s.region);
  const port = s.endpoint?.port ?? 443;
  const protocol = s.tls ? 'TLS' : 'HTTP';
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: meta(model, model.names.serviceEntry),
      spec: {
        hosts,
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [{ number: port, name: `${protocol.toLowerCase()}-${port}`, protocol }],
        exportTo: ['.'],
      },
    },
  ];
}

/** Virtual-hosted and path-style endpoints of a bucket; buckets with dots only work path-style over TLS. */
function awsHosts(bucket: string, region: string): string[] {
  const hosts = [`s3.${region}.amazonaws.com`];
  if (!bucket.includes('.')) hosts.unshift(`${bucket}.s3.${region}.amazonaws.com`);
  if (region === 'us-east-1') hosts.push('s3.amazonaws.com');
  return hosts;
}
