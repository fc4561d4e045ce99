import { sha256Hex } from './digest.js';
import type { Access, Flagger, LoadTest, Gateway, Image, Origin, Port, Profile, Protocol, ServicePlan, SpecPath, Slo, Storage, Version } from '../plan/index.js';
import { schema } from './validate.js';
import { flaggerChecks, GRPC_STATUS } from './flaggerMetrics.js';
import { GATEWAY_INSTALLS, type GatewayInstall } from './gatewayInstalls.js';
import { parseImage } from './image.js';
import { credentialEgress, download, egress, inCluster, nativeBasePath, nativeEnv, parseEndpoint, parseS3Uri } from './s3.js';
import type { ModelService } from './spec.gen.js';
import { batchingConfig, METRICS_PATH, modelConfig, monitoringConfig } from './textproto.js';

type Spec = ModelService['spec'];
const defs = schema.definitions;

/** Defaults come from the schema, so the documented default and the applied one cannot differ. */
const DEFAULT_PROFILE = {
  name: defs.version.properties.profile.default,
  cpu: defs.profile.properties.cpu.default,
  memory: defs.profile.properties.memory.default,
  gpu: defs.profile.properties.gpu.default,
  replicas: defs.profile.properties.replicas.default,
};

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'servec' };
/**
 * The time a rollout allows for the model download before the startup budget: the init container has
 * no timeout of its own, and a few GB from S3 take minutes.
 */
const DOWNLOAD_SECONDS = 300;
/** Beyond download and startup: scheduling, image pulls, the sidecar's start. */
const PROGRESS_MARGIN_SECONDS = 120;
/** Where a downloaded model goes: the volume the download writes and the server reads. */
const MODELS_DIR = '/models';

const at = (path: SpecPath, value: unknown): Origin => ({ path, given: value !== undefined });

/** Turns a valid spec into the service plan that checks and emitters read. */
export function normalize(spec: ModelService): ServicePlan {
  const name = spec.metadata.name;
  const namespace = spec.metadata.namespace ?? schema.properties.metadata.properties.namespace.default;
  const s = spec.spec;
  const protocolList = s.protocols ?? (schema.properties.spec.properties.protocols.default as Array<'grpc' | 'rest'>);
  const exposed = (['grpc', 'rest'] as const).filter((p) => protocolList.includes(p));
  const grpcPort = s.ports?.grpc ?? defs.ports.properties.grpc.default;
  const restPort = s.ports?.rest ?? defs.ports.properties.rest.default;
  const mode = s.rollout?.strategy ?? (defs.rollout.properties.strategy.default as 'manual');
  const modelName = s.model?.name ?? name;
  const storage = normalizeStorage(s.storage);
  const labels = {
    ...(spec.metadata.labels as Record<string, string> | undefined),
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instanceOf(name, namespace),
    ...MANAGED_BY,
  };
  const batching = s.batching && {
    maxBatchSize: s.batching.maxBatchSize ?? defs.batching.properties.maxBatchSize.default,
    batchTimeoutMicros: s.batching.batchTimeoutMicros ?? defs.batching.properties.batchTimeoutMicros.default,
    maxEnqueuedBatches: s.batching.maxEnqueuedBatches ?? defs.batching.properties.maxEnqueuedBatches.default,
    ...(s.batching.numBatchThreads !== undefined && { numBatchThreads: s.batching.numBatchThreads }),
  };
  const monitoring = s.monitoring?.enabled ?? defs.monitoring.properties.enabled.default;
  const weights = trafficWeights(s);
  const profiles = Object.entries(s.profiles ?? {}).map(([profile, given]) => normalizeProfile(profile, given, 'spec'));
  const flaggerPrimary = `${name}-primary`;
  const s3Entry = `${name}-s3`;

  const versions: Version[] = s.versions.map((v, index) => {
    const path = ['spec', 'versions', index];
    const image = imageOf(v.image ?? defs.version.properties.image.default, at([...path, 'image'], v.image));
    const profileName = v.profile ?? DEFAULT_PROFILE.name;
    const profile =
      profiles.find((p) => p.name === profileName) ?? normalizeProfile(profileName, {}, profileName === DEFAULT_PROFILE.name ? 'builtin' : 'missing');
    const requested = storage.plan.access.requested;
    const native = requested === 'native' || (requested === 'auto' && image.readsS3);
    const deployment = mode === 'flagger' ? name : `${name}-${v.name}`;
    const selector: Record<string, string> = mode === 'flagger' ? { app: name } : { app: name, version: v.name };
        const access: Access = native
      ? { kind: 'native', env: storage.plan.nativeEnv }
      : download(storage.s3, storage.plan.downloader.reference, v.modelVersion, MODELS_DIR, modelName, storage.plan.meshBypass.bypass);
    const configText = modelConfig({
      name: modelName,
      basePath: native ? nativeBasePath(storage.plan.uri) : `${MODELS_DIR}/${modelName}`,
      platform: s.model?.platform ?? defs.model.properties.platform.default,
      version: v.modelVersion,
    });
    const data = configData(configText, monitoring, batching && { ...batching, numBatchThreads: batching.numBatchThreads ?? profile.cpuCount });
    const minimumProgressSeconds = profile.startupSeconds + (access.kind === 'download' ? DOWNLOAD_SECONDS : 0);
    const scaling = profile.autoscaling;
    return {
      name: v.name,
      origin: at(path, v),
      modelVersion: { value: v.modelVersion, origin: at([...path, 'modelVersion'], v.modelVersion) },
      image,
      profile,
      profileOrigin: at([...path, 'profile'], v.profile),
      weight: weights.get(v.name) ?? 0,
      access,
      deployment,
      selector,
      subset: { version: v.name },
      // In flagger mode the pods that serve are Flagger's primary copy of the Deployment.
      serving: mode === 'flagger' ? { name: flaggerPrimary, selector: { app: flaggerPrimary }, labels: {} } : { name: deployment, selector, labels: selector },
      configData: data,
      configMap: `${deployment}-config-${contentHash(data)}`,
      ...((scaling || mode === 'flagger') && {
        autoscaler: scaling
          ? { minReplicas: profile.replicas, maxReplicas: scaling.maxReplicas, targetCPUUtilization: scaling.targetCPUUtilization }
          : { minReplicas: profile.replicas, maxReplicas: profile.replicas },
      }),
      minimumProgressSeconds,
      progressDeadlineSeconds: mode === 'flagger' && s.rollout?.flagger?.progressDeadlineSeconds !== undefined ? s.rollout.flagger.progressDeadlineSeconds : minimumProgressSeconds + PROGRESS_MARGIN_SECONDS,
    };
  });

  // AWS S3 read through the proxy (natively, or by a download that does not bypass it) needs the credential endpoints as egress too.
  const throughMesh = versions.some((v) => v.access.kind === 'native' || !v.access.bypassMesh);
  const credentials = throughMesh && !storage.s3.endpoint ? credentialEgress(storage.plan.credentials, storage.plan.region) : undefined;
  if (credentials) storage.plan.egress.push({ name: `${name}-${credentials.suffix}`, ...credentials.reach });
  if (storage.s3Egress) storage.plan.egress.unshift({ name: s3Entry, ...storage.s3Egress });

  const slo: Slo = {
    origin: at(['spec', 'slo'], s.slo),
    ...(s.slo?.successRate !== undefined && { successRate: s.slo.successRate }),
    ...(s.slo?.latency && {
      latency: {
        percentile: s.slo.latency.percentile ?? (defs.slo.properties.latency.properties.percentile.default as 99),
        maxMs: s.slo.latency.maxMs,
      },
    }),
  };
  const gateway = normalizeGateway(s, name, namespace, exposed.includes('grpc'));
  const plan: ServicePlan = {
    name,
    namespace,
    origin: at(['metadata', 'name'], name),
    labels,
    model: { name: modelName, platform: 'tensorflow', origin: at(['spec', 'model', 'name'], s.model?.name) },
    storage: storage.plan,
    profiles,
    versions,
    versionsOrigin: at(['spec', 'versions'], s.versions),
    ...(s.traffic && {
      traffic: {
        origin: at(['spec', 'traffic'], s.traffic),
        weights: Object.entries(s.traffic).map(([version, weight]) => ({ version, weight: weight ?? 0, origin: at(['spec', 'traffic', version], weight) })),
      },
    }),
    mode,
    routing: 'istio',
    ...(s.rollout?.flagger && { flaggerSettings: at(['spec', 'rollout', 'flagger'], s.rollout.flagger) }),
    slo,
    gateway,
    ports: {
      grpc: { name: 'grpc', port: grpcPort, appProtocol: 'grpc' },
      rest: { name: 'http', port: restPort, appProtocol: 'http' },
      origin: { grpc: at(['spec', 'ports', 'grpc'], s.ports?.grpc), rest: at(['spec', 'ports', 'rest'], s.ports?.rest) },
    },
    exposed,
    security: {
      mtls: s.security?.mtls ?? defs.security.properties.mtls.default,
      callers: s.security?.callers ?? [],
      authorization: s.security?.authorization ?? defs.security.properties.authorization.default,
    },
    ...(batching && { batching }),
    ...(monitoring && { monitoring: { path: METRICS_PATH, port: restPort } }),
    names: {
      service: name,
      serviceHost: `${name}.${namespace}.svc.cluster.local`,
      serviceAccount: name,
      virtualService: name,
      gatewayRoutes: `${name}-ingress`,
      destinationRule: name,
      serviceEntry: s3Entry,
      peerAuthentication: name,
      authorizationPolicy: name,
      canary: name,
      flaggerPrimary,
      flaggerCanary: `${name}-canary`,
      flaggerPrimaryRoute: `${name}-primary-route`,
    },
    selectors: { pods: { 'app.kubernetes.io/name': name }, service: { app: name } },
  };
  if (mode === 'flagger') {
    plan.flagger = normalizeFlagger(s, exposed, plan.ports, name, namespace, slo);
    // The load tester must get through the AuthorizationPolicy, or every call is denied (and counted).
    const tester = plan.flagger.loadTest?.identity;
    if (tester && !plan.security.callers.includes(tester)) plan.security.callers = [...plan.security.callers, tester];
  }
  return plan;
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

/**
 * The value of `app.kubernetes.io/instance`: one per spec in a cluster, so that a prune or an
 * inventory keyed on it never reaches another spec's objects. NAME.NAMESPACE when it fits a label
 * value (63 characters); otherwise its first 52 characters and a hash of the whole.
 */
export function instanceOf(name: string, namespace: string): string {
  const full = `${name}.${namespace}`;
  if (full.length <= 63) return full;
  const digest = sha256Hex(full).slice(0, 10);
  return `${full.slice(0, 52).replace(/[^a-z0-9]+$/, '')}-${digest}`;
}

function contentHash(data: Record<string, string>): string {
  let text = '';
  for (const key of Object.keys(data).sort()) text += `${key}\u0000${data[key]}\u0000`;
  return sha256Hex(text).slice(0, 10);
}

function trafficWeights(s: Spec): Map<string, number> {
  const weights = new Map<string, number>();
  if (s.traffic) for (const [version, weight] of Object.entries(s.traffic)) weights.set(version, weight ?? 0);
  else if (s.versions.length === 1) weights.set(s.versions[0]!.name, 100);
  return weights;
}

function imageOf(reference: string, origin: Origin): Image {
  const { repository, tag, digest } = parseImage(reference);
  return { reference, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }), readsS3: readsS3(repository, tag), origin };
}

/** TF Serving images up to 2.6 read s3:// themselves; later ones need the model downloaded first. */
function readsS3(repository: string, tag: string | undefined): boolean {
  const version = tag && /^(\d+)\.(\d+)/.exec(tag);
  if (!version || !repository.includes('tensorflow/serving')) return false;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  return major < 2 || (major === 2 && minor <= 6);
}

function normalizeStorage(st: Spec['storage']) {
  const parsed = parseS3Uri(st.uri);
  const location = 'problem' in parsed ? { bucket: '', prefix: '' } : parsed;
  const tls = st.tls ?? defs.storage.properties.tls.default;
  const verifyTls = st.verifyTls ?? defs.storage.properties.verifyTls.default;
  const region = st.region ?? defs.storage.properties.region.default;
  const endpoint = st.endpoint ? parseEndpoint(st.endpoint, tls) : undefined;
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
  const egressTo = egress(location.bucket, region, tls, endpoint);
  const meshBypass = st.meshBypass ?? (defs.storage.properties.meshBypass.default as 'auto');
  const plan: Storage = {
    uri: st.uri,
    origin: at(['spec', 'storage', 'uri'], st.uri),
    ...('problem' in parsed && { problem: parsed.problem }),
    ...location,
    region,
    access: {
      requested: st.access ?? (defs.storage.properties.access.default as 'auto'),
      origin: at(['spec', 'storage', 'access'], st.access),
    },
    credentials,
    egress: [],
    // auto: a store outside the mesh is reached around the proxy; a Service of the cluster through it (mTLS).
    meshBypass: { requested: meshBypass, bypass: meshBypass === 'always' || (meshBypass === 'auto' && !inCluster(endpoint)), origin: at(['spec', 'storage', 'meshBypass'], st.meshBypass), storeInMesh: inCluster(endpoint) },
    downloader: imageOf(st.downloaderImage ?? defs.storage.properties.downloaderImage.default, at(['spec', 'storage', 'downloaderImage'], st.downloaderImage)),
    nativeEnv: nativeEnv(region, tls, verifyTls, endpoint, credentials),
  };
  return { plan, s3Egress: egressTo, s3: { ...location, region, tls, verifyTls, endpoint, credentials } };
}

function normalizeProfile(name: string, given: NonNullable<Spec['profiles']>[string] | undefined, defined: Profile['defined']): Profile {
  const p = given ?? {};
  const cpu = String(p.cpu ?? DEFAULT_PROFILE.cpu);
  const cpuValue = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
  return {
    name,
    defined,
    origin: { path: ['spec', 'profiles', name], given: defined === 'spec' },
    cpu,
    cpuCount: Math.max(1, Math.ceil(cpuValue)),
    memory: p.memory ?? DEFAULT_PROFILE.memory,
    gpu: p.gpu ?? DEFAULT_PROFILE.gpu,
    replicas: p.replicas ?? DEFAULT_PROFILE.replicas,
    ...(p.autoscaling && {
      autoscaling: {
        maxReplicas: p.autoscaling.maxReplicas,
        targetCPUUtilization: p.autoscaling.targetCPUUtilization ?? defs.profile.properties.autoscaling.properties.targetCPUUtilization.default,
      },
    }),
    startupSeconds: p.startupSeconds ?? defs.profile.properties.startupSeconds.default,
    nodeSelector: (p.nodeSelector as Record<string, string> | undefined) ?? {},
    tolerations: p.tolerations ?? [],
  };
}

function normalizeGateway(s: Spec, name: string, namespace: string, grpc: boolean): Gateway {
  const g = s.gateway ?? {};
  const install = g.install ?? (defs.gateway.properties.install.default as GatewayInstall);
  const standard = GATEWAY_INSTALLS[install];
  const path = ['spec', 'gateway'];
  return {
    kind: g.ref ? 'shared' : 'own',
    name: `${name}-gateway`,
    reference: g.ref ?? `${namespace}/${name}-gateway`,
    install,
    port: g.port ?? defs.gateway.properties.port.default,
    protocol: g.protocol ?? (g.tlsSecret ? 'HTTPS' : grpc ? 'HTTP2' : 'HTTP'),
    hosts: g.hosts ?? defs.gateway.properties.hosts.default,
    ...(g.tlsSecret && { tlsSecret: g.tlsSecret }),
    selector: (g.selector as Record<string, string> | undefined) ?? { ...standard.selector },
    serviceAccount: g.serviceAccount ?? standard.serviceAccount,
    clientPorts: standard.clientPorts,
    installTitle: standard.title,
    origins: {
      gateway: at(path, s.gateway),
      ref: at([...path, 'ref'], g.ref),
      install: at([...path, 'install'], g.install),
      port: at([...path, 'port'], g.port),
      protocol: at([...path, 'protocol'], g.protocol),
      hosts: at([...path, 'hosts'], g.hosts),
      tlsSecret: at([...path, 'tlsSecret'], g.tlsSecret),
      selector: at([...path, 'selector'], g.selector),
    },
  };
}

function normalizeFlagger(s: Spec, exposed: Protocol[], ports: Record<Protocol, Port>, name: string, namespace: string, slo: Slo): Flagger {
  const f = s.rollout?.flagger ?? {};
  const p = defs.flagger.properties;
  const protocol = f.protocol ?? (exposed.includes('grpc') ? 'grpc' : 'rest');
  const other = exposed.find((x) => x !== protocol);
  const metrics = f.metrics ?? (p.metrics.default as 'servec');
  const path = ['spec', 'rollout', 'flagger'];
  return {
    interval: f.interval ?? p.interval.default,
    threshold: f.threshold ?? p.threshold.default,
    steps: f.stepWeights
      ? { stepWeights: f.stepWeights }
      : { stepWeight: f.stepWeight ?? p.stepWeight.default, maxWeight: f.maxWeight ?? p.maxWeight.default },
    origins: {
      rollout: at(['spec', 'rollout'], s.rollout),
      stepWeights: at([...path, 'stepWeights'], f.stepWeights),
      stepWeight: at([...path, 'stepWeight'], f.stepWeight),
      maxWeight: at([...path, 'maxWeight'], f.maxWeight),
      protocol: at([...path, 'protocol'], f.protocol),
      metrics: at([...path, 'metrics'], f.metrics),
    },
    protocol,
    metrics,
    ...(f.loadTest && { loadTest: loadTest(f.loadTest, { name, namespace, model: s.model?.name ?? name, protocol, port: ports[protocol].port, interval: f.interval ?? p.interval.default }) }),
    ...(f.manualPromotion && { promotionGate: f.promotionGateUrl ?? p.promotionGateUrl.default }),
    progressDeadlineOrigin: at([...path, 'progressDeadlineSeconds'], f.progressDeadlineSeconds),
    ...(other && { uncanaried: { protocol: other, port: ports[other].port, containerPortName: `tcp-${ports[other].name}` } }),
    checks: flaggerChecks({
      name,
      slo,
      protocol,
      metrics,
      prometheus: f.prometheus ?? p.prometheus.default,
      // In numeric order: the order they are listed in changes nothing, and must not change the manifests.
      clientErrors: {
        grpc: (f.clientErrors?.grpc ?? p.clientErrors.properties.grpc.default).map((code: string) => GRPC_STATUS[code]!).sort((a: number, b: number) => a - b),
        http: [...(f.clientErrors?.http ?? p.clientErrors.properties.http.default)].sort((a: number, b: number) => a - b),
      },
    }),
  };
}

type LoadTestSpec = NonNullable<NonNullable<NonNullable<Spec['rollout']>['flagger']>['loadTest']>;

/**
 * The load test: the spec's command, or one built from the spec against the canary Service
 * (NAME-canary, which Flagger points at the canary pods only). The load tester runs `cmd` with
 * `sh -c`, so the request is single-quoted.
 */
function loadTest(t: LoadTestSpec, c: { name: string; namespace: string; model: string; protocol: Protocol; port: number; interval: string }): LoadTest {
  const p = defs.flagger.properties.loadTest.properties;
  const path = ['spec', 'rollout', 'flagger', 'loadTest'];
  const base = { url: t.url ?? p.url.default, identity: t.identity ?? p.identity.default, origin: at(path, t), commandOrigin: at([...path, 'command'], t.command),
    ...(t.request !== undefined && { request: { text: t.request, origin: at([...path, 'request'], t.request) } }),
    ...(t.request !== undefined && t.requestFile !== undefined && { requestFileOrigin: at([...path, 'requestFile'], t.requestFile) }),
  };
  if (t.command !== undefined) return { ...base, command: t.command };
  const duration = t.duration ?? c.interval;
  const host = `${c.name}-canary.${c.namespace}:${c.port}`;
  const predict = t.request !== undefined || t.requestFile !== undefined;
  if (c.protocol === 'rest') {
    const url = `http://${host}/v1/models/${c.model}`;
    const body = t.request !== undefined ? `-d ${shellQuote(t.request)}` : `-D ${shellQuote(t.requestFile ?? '')}`;
    const command = predict ? `hey -z ${duration} -q 10 -c 2 -m POST -T application/json ${body} ${url}:predict` : `hey -z ${duration} -q 10 -c 2 ${url}`;
    return { ...base, command, built: { protocol: 'rest', call: predict ? 'predict' : 'get-status', protosetMissing: false } };
  }
  const data =
    t.request !== undefined
      ? `-d ${shellQuote(withModelSpec(t.request, c.model))}`
      : t.requestFile !== undefined
        ? `-D ${shellQuote(t.requestFile)}`
        : `-d ${shellQuote(JSON.stringify({ model_spec: { name: c.model } }))}`;
  const call = predict ? 'tensorflow.serving.PredictionService/Predict' : 'tensorflow.serving.ModelService/GetModelStatus';
  const protoset = t.protoset ? ` --protoset ${shellQuote(t.protoset)}` : '';
  const command = `ghz -z ${duration} --insecure${protoset} --call ${call} ${data} ${host}`;
  return { ...base, command, built: { protocol: 'grpc', call: predict ? 'predict' : 'status', protosetMissing: !t.protoset } };
}

/** A PredictRequest in JSON names its model; the spec's request may leave that to servec. Unparsable text is kept as written. */
function withModelSpec(request: string, model: string): string {
  try {
    const parsed: unknown = JSON.parse(request);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && !('model_spec' in parsed) && !('modelSpec' in parsed)) {
      return JSON.stringify({ model_spec: { name: model }, ...parsed });
    }
  } catch {
    // reported by the rollout check
  }
  return request;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
