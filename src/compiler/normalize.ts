import { createHash } from 'node:crypto';
import { schema } from './validate.js';
import type { Flagger, Gateway, Model, Profile, Slo, Storage, Version } from './model.js';
import { flaggerChecks } from './flaggerChecks.js';
import { parseImage } from './image.js';
import type { ModelService } from './spec.gen.js';
import { modelConfig, monitoringConfig, batchingConfig } from './textproto.js';

type Spec = ModelService['spec'];
const defs = schema.definitions;

/** Defaults come from the schema, so the documented default and the applied one cannot differ. */
const DEFAULT_PROFILE = {
  cpu: defs.profile.properties.cpu.default,
  memory: defs.profile.properties.memory.default,
  gpu: defs.profile.properties.gpu.default,
  replicas: defs.profile.properties.replicas.default,
};

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'servec' };

/** Turns a valid spec into the one internal form that checks and emitters read. */
export function normalize(spec: ModelService): Model {
  const name = spec.metadata.name;
  const namespace = spec.metadata.namespace ?? schema.properties.metadata.properties.namespace.default;
  const s = spec.spec;
  const protocolList = s.protocols ?? (schema.properties.spec.properties.protocols.default as Array<'grpc' | 'rest'>);
  const protocols = { grpc: protocolList.includes('grpc'), rest: protocolList.includes('rest') };
  const ports = {
    grpc: s.ports?.grpc ?? defs.ports.properties.grpc.default,
    rest: s.ports?.rest ?? defs.ports.properties.rest.default,
  };
  const mode = s.rollout?.strategy ?? (defs.rollout.properties.strategy.default as 'manual');
  const modelName = s.model?.name ?? name;
  const storage = normalizeStorage(s.storage);
  const labels = { ...(spec.metadata.labels as Record<string, string> | undefined), 'app.kubernetes.io/name': name, ...MANAGED_BY };
  const batching = s.batching && {
    maxBatchSize: s.batching.maxBatchSize ?? defs.batching.properties.maxBatchSize.default,
    batchTimeoutMicros: s.batching.batchTimeoutMicros ?? defs.batching.properties.batchTimeoutMicros.default,
    maxEnqueuedBatches: s.batching.maxEnqueuedBatches ?? defs.batching.properties.maxEnqueuedBatches.default,
    ...(s.batching.numBatchThreads !== undefined && { numBatchThreads: s.batching.numBatchThreads }),
  };
  const monitoring = s.monitoring?.enabled ?? defs.monitoring.properties.enabled.default;
  const weights = trafficWeights(s);

  const versions: Version[] = s.versions.map((v, index) => {
    const image = v.image ?? defs.version.properties.image.default;
    const profile = normalizeProfile(v.profile ?? defs.version.properties.profile.default, s.profiles);
    const access = chooseAccess(s.storage.access ?? (defs.storage.properties.access.default as 'auto'), image);
    const deployment = mode === 'flagger' ? name : `${name}-${v.name}`;
    const selector: Record<string, string> = mode === 'flagger' ? { app: name } : { app: name, version: v.name };
    const configText = modelConfig({
      name: modelName,
      basePath: access === 'native' ? storage.uri.replace(/\/+$/, '') : `/models/${modelName}`,
      platform: s.model?.platform ?? defs.model.properties.platform.default,
      version: v.modelVersion,
    });
    const data = configData(configText, monitoring, batching && { ...batching, numBatchThreads: batching.numBatchThreads ?? profile.cpuCount });
    return {
      index,
      name: v.name,
      modelVersion: v.modelVersion,
      image,
      profile,
      weight: weights.get(v.name) ?? 0,
      access,
      deployment,
      selector,
      configData: data,
      configMap: `${deployment}-config-${contentHash(data)}`,
    };
  });

  const model: Model = {
    name,
    namespace,
    labels,
    modelName,
    platform: 'tensorflow',
    storage,
    versions,
    mode,
    slo: {
      ...(s.slo?.successRate !== undefined && { successRate: s.slo.successRate }),
      ...(s.slo?.latency && {
        latency: {
          percentile: s.slo.latency.percentile ?? (defs.slo.properties.latency.properties.percentile.default as 99),
          maxMs: s.slo.latency.maxMs,
        },
      }),
    },
    gateway: normalizeGateway(s, name, protocols.grpc),
    ports,
    protocols,
    security: {
      mtls: s.security?.mtls ?? defs.security.properties.mtls.default,
      callers: s.security?.callers ?? [],
      authorization: s.security?.authorization ?? defs.security.properties.authorization.default,
    },
    ...(batching && { batching }),
    monitoring,
    names: {
      service: name,
      serviceHost: `${name}.${namespace}.svc.cluster.local`,
      serviceAccount: name,
      gateway: `${name}-gateway`,
      virtualService: name,
      destinationRule: name,
      serviceEntry: `${name}-s3`,
      peerAuthentication: name,
      authorizationPolicy: name,
      canary: name,
    },
  };
  if (mode === 'flagger') model.flagger = normalizeFlagger(s, protocols.grpc, model.name, model.slo);
  return model;
}

/** The ConfigMap data of a version: everything TF Serving reads from its config directory. */
function configData(
  configText: string,
  monitoring: boolean,
  batching: { maxBatchSize: number; batchTimeoutMicros: number; maxEnqueuedBatches: number; numBatchThreads: number } | undefined,
): Record<string, string> {
  const data: Record<string, string> = { 'models.config': configText };
  if (monitoring) data['monitoring.config'] = monitoringConfig();
  if (batching) data['batching.config'] = batchingConfig(batching);
  return data;
}

function contentHash(data: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(`${key}\u0000${data[key]}\u0000`);
  return hash.digest('hex').slice(0, 10);
}

function trafficWeights(s: Spec): Map<string, number> {
  const weights = new Map<string, number>();
  if (s.traffic) for (const [version, weight] of Object.entries(s.traffic)) weights.set(version, weight ?? 0);
  else if (s.versions.length === 1) weights.set(s.versions[0]!.name, 100);
  return weights;
}

function normalizeStorage(st: Spec['storage']): Storage {
  const parsed = parseS3Uri(st.uri) ?? { bucket: '', prefix: '' };
  const tls = st.tls ?? defs.storage.properties.tls.default;
  const endpoint = st.endpoint ? splitHostPort(st.endpoint, tls ? 443 : 80) : undefined;
  const c = st.credentials;
  const credentials: Storage['credentials'] = c?.secret
    ? {
        kind: 'secret',
        name: c.secret.name,
        accessKeyIdKey: c.secret.accessKeyIdKey ?? defs.storage.properties.credentials.properties.secret.properties.accessKeyIdKey.default,
        secretAccessKeyKey:
          c.secret.secretAccessKeyKey ?? defs.storage.properties.credentials.properties.secret.properties.secretAccessKeyKey.default,
      }
    : c?.serviceAccount
      ? { kind: 'irsa', roleArn: c.serviceAccount.roleArn }
      : { kind: 'node' };
  return {
    uri: st.uri,
    ...parsed,
    region: st.region ?? defs.storage.properties.region.default,
    ...(endpoint && { endpoint }),
    tls,
    verifyTls: st.verifyTls ?? defs.storage.properties.verifyTls.default,
    credentials,
    downloaderImage: st.downloaderImage ?? defs.storage.properties.downloaderImage.default,
  };
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/([A-Za-z0-9!_.*'()\-/]*))?$/;

/** Splits s3://bucket/prefix; undefined when it is not a usable S3 URI (a check reports why). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = S3_URI.exec(uri);
  if (!match) return undefined;
  const bucket = match[1]!;
  if (bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return undefined;
  const prefix = (match[3] ?? '').replace(/\/+$/, '');
  if (prefix.includes('//') || prefix.startsWith('/')) return undefined;
  return { bucket, prefix };
}

function splitHostPort(value: string, fallback: number): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  if (colon === -1) return { host: value, port: fallback };
  return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}

function normalizeProfile(name: string, profiles: Spec['profiles']): Profile {
  const given = (profiles && Object.hasOwn(profiles, name) ? profiles[name] : undefined) ?? {};
  const cpu = String(given.cpu ?? DEFAULT_PROFILE.cpu);
  const cpuValue = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
  return {
    name,
    cpu,
    cpuCount: Math.max(1, Math.ceil(cpuValue)),
    memory: given.memory ?? DEFAULT_PROFILE.memory,
    gpu: given.gpu ?? DEFAULT_PROFILE.gpu,
    replicas: given.replicas ?? DEFAULT_PROFILE.replicas,
    ...(given.autoscaling && {
      autoscaling: {
        maxReplicas: given.autoscaling.maxReplicas,
        targetCPUUtilization:
          given.autoscaling.targetCPUUtilization ?? defs.profile.properties.autoscaling.properties.targetCPUUtilization.default,
      },
    }),
    nodeSelector: (given.nodeSelector as Record<string, string> | undefined) ?? {},
    tolerations: given.tolerations ?? [],
  };
}

/** TF Serving images up to 2.6 read s3:// themselves; later ones need the model downloaded first. */
export function nativeS3Capable(image: string): boolean {
  const { repository, tag } = parseImage(image);
  const version = tag && /^(\d+)\.(\d+)/.exec(tag);
  if (!version || !repository.includes('tensorflow/serving')) return false;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  return major < 2 || (major === 2 && minor <= 6);
}

function chooseAccess(access: 'auto' | 'download' | 'native', image: string): 'download' | 'native' {
  if (access === 'auto') return nativeS3Capable(image) ? 'native' : 'download';
  return access;
}

function normalizeGateway(s: Spec, name: string, grpc: boolean): Gateway {
  const g = s.gateway ?? {};
  return {
    name: `${name}-gateway`,
    port: g.port ?? defs.gateway.properties.port.default,
    protocol: g.protocol ?? (g.tlsSecret ? 'HTTPS' : grpc ? 'HTTP2' : 'HTTP'),
    hosts: g.hosts ?? defs.gateway.properties.hosts.default,
    ...(g.tlsSecret && { tlsSecret: g.tlsSecret }),
    selector: (g.selector as Record<string, string> | undefined) ?? defs.gateway.properties.selector.default,
    serviceAccount: g.serviceAccount ?? defs.gateway.properties.serviceAccount.default,
  };
}

function normalizeFlagger(s: Spec, grpc: boolean, name: string, slo: Slo): Flagger {
  const f = s.rollout?.flagger ?? {};
  const p = defs.flagger.properties;
  const protocol = f.protocol ?? (grpc ? 'grpc' : 'rest');
  const metrics = f.metrics ?? (p.metrics.default as 'servec');
  return {
    interval: f.interval ?? p.interval.default,
    threshold: f.threshold ?? p.threshold.default,
    steps: f.stepWeights
      ? { stepWeights: f.stepWeights }
      : { stepWeight: f.stepWeight ?? p.stepWeight.default, maxWeight: f.maxWeight ?? p.maxWeight.default },
    protocol,
    metrics,
    ...(f.loadTest && { loadTest: { url: f.loadTest.url ?? p.loadTest.properties.url.default, command: f.loadTest.command } }),
    ...(f.manualPromotion && { promotionGate: f.promotionGateUrl ?? p.promotionGateUrl.default }),
    progressDeadlineSeconds: f.progressDeadlineSeconds ?? p.progressDeadlineSeconds.default,
    checks: flaggerChecks({ name, slo, protocol, metrics, prometheus: f.prometheus ?? p.prometheus.default }),
  };
}
