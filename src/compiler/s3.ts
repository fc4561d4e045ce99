/**
 * Everything servec knows about S3: reading an s3:// URI, the hosts and port the pods reach, the
 * environment TF Serving's own S3 client reads, and the command that downloads a model version.
 */
import type { Access, Egress, EnvVar, Storage } from '../plan/index.js';

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/([A-Za-z0-9!_.*'()\-/]*))?$/;

/** Splits s3://bucket/prefix, or says why the URI is not a usable S3 URI. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | { problem: string } {
  const match = S3_URI.exec(uri);
  const bucket = match?.[1];
  const prefix = (match?.[3] ?? '').replace(/\/+$/, '');
  if (!bucket || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket) || prefix.includes('//') || prefix.startsWith('/')) {
    return { problem: uriProblem(uri) };
  }
  return { bucket, prefix };
}

function uriProblem(uri: string): string {
  if (!uri.startsWith('s3://')) return 'it must start with s3://';
  const rest = uri.slice(5);
  const bucket = rest.split('/')[0] ?? '';
  if (bucket.length < 3 || bucket.length > 63) return `the bucket name "${bucket}" must be 3 to 63 characters`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket) || bucket.includes('..')) return `the bucket name "${bucket}" has characters S3 does not allow`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'a bucket name cannot be an IP address';
  if (rest.slice(bucket.length).startsWith('//') || rest.includes('//')) return 'the prefix has an empty path segment (//)';
  return 'the prefix may only hold letters, digits and !_.*\'()-/';
}

export interface Endpoint {
  host: string;
  port: number;
}

/** host[:port] of a custom endpoint, the port defaulting to the scheme's. */
export function parseEndpoint(value: string, tls: boolean): Endpoint {
  const colon = value.lastIndexOf(':');
  if (colon === -1) return { host: value, port: tls ? 443 : 80 };
  return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}

type Reach = Omit<Egress, 'name'>;

/** Whether the endpoint is a Service of the cluster, so inside the mesh. */
export const inCluster = (endpoint: Endpoint | undefined): boolean => endpoint !== undefined && /\.svc(\.cluster\.local)?$/.test(endpoint.host);

/** The S3 hosts the pods reach for mesh egress; none when the endpoint is a Service of the cluster. */
export function egress(bucket: string, region: string, tls: boolean, endpoint: Endpoint | undefined): Reach | undefined {
  if (inCluster(endpoint)) return undefined; // inside the mesh already
  const hosts = endpoint ? [endpoint.host] : awsHosts(bucket, region);
  return { hosts, port: endpoint?.port ?? 443, protocol: tls ? 'TLS' : 'HTTP', resolution: 'DNS' };
}

/**
 * Where an AWS client gets its credentials when they are not in a Secret: STS (IRSA exchanges the
 * projected token there; the regional endpoint first) or the node's instance metadata, a fixed
 * link-local address. The metadata is TCP, not HTTP: its clients send the address as Host, which no
 * HTTP route of a named host matches (istio#28994).
 */
export function credentialEgress(credentials: Storage['credentials'], region: string): { suffix: string; reach: Reach } | undefined {
  if (credentials.kind === 'irsa') return { suffix: 'sts', reach: { hosts: [`sts.${region}.amazonaws.com`, 'sts.amazonaws.com'], port: 443, protocol: 'TLS', resolution: 'DNS' } };
  if (credentials.kind === 'node') {
    return { suffix: 'metadata', reach: { hosts: ['instance-data.ec2.internal'], addresses: ['169.254.169.254'], port: 80, protocol: 'TCP', resolution: 'STATIC' } };
  }
  return undefined;
}

/** Virtual-hosted and path-style endpoints of a bucket; buckets with dots only work path-style over TLS. */
function awsHosts(bucket: string, region: string): string[] {
  const hosts = [`s3.${region}.amazonaws.com`];
  if (!bucket.includes('.')) hosts.unshift(`${bucket}.s3.${region}.amazonaws.com`);
  if (region === 'us-east-1') hosts.push('s3.amazonaws.com');
  return hosts;
}

export function credentialEnv(credentials: Storage['credentials']): EnvVar[] {
  if (credentials.kind !== 'secret') return [];
  return [
    { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: credentials.name, key: credentials.accessKeyIdKey } } },
    { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: credentials.name, key: credentials.secretAccessKeyKey } } },
  ];
}

/** TF Serving's own S3 client (images up to 2.6) reads these variables. */
export function nativeEnv(region: string, tls: boolean, verifyTls: boolean, endpoint: Endpoint | undefined, credentials: Storage['credentials']): EnvVar[] {
  const flag = (on: boolean) => (on ? '1' : '0');
  return [
    { name: 'AWS_REGION', value: region },
    ...(endpoint ? [{ name: 'S3_ENDPOINT', value: `${endpoint.host}:${endpoint.port}` }] : []),
    { name: 'S3_USE_HTTPS', value: flag(tls) },
    { name: 'S3_VERIFY_SSL', value: flag(tls && verifyTls) },
    // The S3 client of these images logs every request at INFO; keep warnings and errors.
    { name: 'TF_CPP_MIN_LOG_LEVEL', value: '1' },
    ...credentialEnv(credentials),
  ];
}

/** The model's base path as TF Serving reads it natively: the URI without a trailing slash. */
export function nativeBasePath(uri: string): string {
  return uri.replace(/\/+$/, '');
}

/** Copies one pinned version directory from S3 into `target` with the AWS CLI. */
export function download(
  s: { bucket: string; prefix: string; region: string; tls: boolean; verifyTls: boolean; endpoint: Endpoint | undefined; credentials: Storage['credentials'] },
  image: string,
  modelVersion: number,
  mountPath: string,
  modelName: string,
  bypassMesh: boolean,
): Extract<Access, { kind: 'download' }> {
  const source = `s3://${s.bucket}/${s.prefix ? `${s.prefix}/` : ''}${modelVersion}`;
  const args = ['s3', 'sync', source, `${mountPath}/${modelName}/${modelVersion}`, '--only-show-errors'];
  if (s.endpoint) args.push('--endpoint-url', `${s.tls ? 'https' : 'http'}://${s.endpoint.host}:${s.endpoint.port}`);
  if (s.tls && !s.verifyTls) args.push('--no-verify-ssl');
  return {
    kind: 'download',
    image,
    mountPath,
    command: ['aws'],
    args,
    env: [{ name: 'AWS_REGION', value: s.region }, { name: 'HOME', value: '/tmp' }, ...credentialEnv(s.credentials)],
    bypassMesh,
  };
}
