import type { V1Container, V1EnvVar, V1PodSpec, V1Probe, V1SecurityContext, V1Toleration } from '@kubernetes/client-node';
import type { Model, Version } from '../compiler/model.js';
import { METRICS_PATH } from '../compiler/textproto.js';
import { meta } from './meta.js';
import type { Deployment } from './types.js';

const CONFIG_DIR = '/etc/servec';
const MODELS_DIR = '/models';
/** UID of the Istio proxy: traffic from it bypasses the sidecar (see README, "Model download"). */
const ISTIO_PROXY_UID = 1337;
const SERVER_UID = 1000;

/** A TF Serving Deployment per version (in flagger mode the one Flagger canaries). */
export function deployment(model: Model): Deployment[] {
  return model.versions.map((version) => {
    const scaling = version.profile.autoscaling;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(model, version.deployment, version.selector),
      spec: {
        // With an autoscaler the replica count is its business; applying one would fight it.
        ...(scaling ? {} : { replicas: version.profile.replicas }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: version.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { ...model.labels, ...version.selector }, annotations: podAnnotations(model) },
          spec: podSpec(model, version),
        },
      },
    };
  });
}

function podAnnotations(model: Model): Record<string, string> {
  const annotations: Record<string, string> = {
    // Start TF Serving only once the sidecar is up, so its first requests are not refused.
    'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
  };
  if (model.monitoring) {
    annotations['prometheus.io/scrape'] = 'true';
    annotations['prometheus.io/port'] = String(model.ports.rest);
    annotations['prometheus.io/path'] = METRICS_PATH;
  }
  return annotations;
}

function podSpec(model: Model, version: Version): V1PodSpec {
  const profile = version.profile;
  const download = version.access === 'download';
  const spread = profile.replicas > 1 || profile.autoscaling !== undefined;
  const tolerations: V1Toleration[] = [...profile.tolerations];
  if (profile.gpu > 0 && !tolerations.some((t) => t.key === 'nvidia.com/gpu')) {
    tolerations.push({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  }
  return {
    serviceAccountName: model.names.serviceAccount,
    automountServiceAccountToken: model.storage.credentials.kind === 'irsa',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SERVER_UID,
      runAsGroup: SERVER_UID,
      fsGroup: SERVER_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: 45,
    ...(Object.keys(profile.nodeSelector).length > 0 && { nodeSelector: profile.nodeSelector }),
    ...(tolerations.length > 0 && { tolerations }),
    ...(spread && {
      topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: version.selector },
      })),
    }),
    ...(download && { initContainers: [downloader(model, version)] }),
    containers: [server(model, version)],
    volumes: [
      { name: 'config', configMap: { name: version.configMap } },
      ...(download ? [{ name: 'models', emptyDir: {} }] : []),
      { name: 'tmp', emptyDir: {} },
    ],
  };
}

function restricted(uid?: number): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    ...(uid !== undefined && { runAsUser: uid, runAsGroup: uid }),
    capabilities: { drop: ['ALL'] },
  };
}

/** Copies the pinned version directory from S3 into the shared volume before the server starts. */
function downloader(model: Model, version: Version): V1Container {
  const s = model.storage;
  const source = `s3://${s.bucket}/${s.prefix ? `${s.prefix}/` : ''}${version.modelVersion}`;
  const args = ['s3', 'sync', source, `${MODELS_DIR}/${model.modelName}/${version.modelVersion}`, '--only-show-errors'];
  if (s.endpoint) args.push('--endpoint-url', `${s.tls ? 'https' : 'http'}://${s.endpoint.host}:${s.endpoint.port}`);
  if (s.tls && !s.verifyTls) args.push('--no-verify-ssl');
  return {
    name: 'model-download',
    image: s.downloaderImage,
    command: ['aws'],
    args,
    env: [{ name: 'AWS_REGION', value: s.region }, { name: 'HOME', value: '/tmp' }, ...credentialEnv(model)],
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    securityContext: restricted(ISTIO_PROXY_UID),
    volumeMounts: [
      { name: 'models', mountPath: MODELS_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

function credentialEnv(model: Model): V1EnvVar[] {
  const c = model.storage.credentials;
  if (c.kind !== 'secret') return [];
  return [
    { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: c.name, key: c.accessKeyIdKey } } },
    { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: c.name, key: c.secretAccessKeyKey } } },
  ];
}

/** TF Serving's own S3 client (images up to 2.6) reads these variables. */
function nativeS3Env(model: Model): V1EnvVar[] {
  const s = model.storage;
  const flag = (on: boolean) => (on ? '1' : '0');
  return [
    { name: 'AWS_REGION', value: s.region },
    ...(s.endpoint ? [{ name: 'S3_ENDPOINT', value: `${s.endpoint.host}:${s.endpoint.port}` }] : []),
    { name: 'S3_USE_HTTPS', value: flag(s.tls) },
    { name: 'S3_VERIFY_SSL', value: flag(s.tls && s.verifyTls) },
    // The S3 client of these images logs every request at INFO; keep warnings and errors.
    { name: 'TF_CPP_MIN_LOG_LEVEL', value: '1' },
    ...credentialEnv(model),
  ];
}

function server(model: Model, version: Version): V1Container {
  const profile = version.profile;
  const download = version.access === 'download';
  const threads = String(profile.cpuCount);
  const args = [
    `--port=${model.ports.grpc}`,
    `--rest_api_port=${model.ports.rest}`,
    `--model_config_file=${CONFIG_DIR}/models.config`,
    `--tensorflow_intra_op_parallelism=${threads}`,
    `--tensorflow_inter_op_parallelism=${threads}`,
  ];
  // A downloaded version never changes on disk: read it once instead of polling.
  if (download) args.push('--file_system_poll_wait_seconds=0');
  if (model.monitoring) args.push(`--monitoring_config_file=${CONFIG_DIR}/monitoring.config`);
  if (model.batching) args.push('--enable_batching=true', `--batching_parameters_file=${CONFIG_DIR}/batching.config`);
  const resources: Record<string, string> = { cpu: profile.cpu, memory: profile.memory };
  if (profile.gpu > 0) resources['nvidia.com/gpu'] = String(profile.gpu);
  const loaded: V1Probe = {
    httpGet: { path: `/v1/models/${model.modelName}/versions/${version.modelVersion}`, port: 'http' },
    periodSeconds: 5,
    timeoutSeconds: 3,
    failureThreshold: 3,
  };
  return {
    name: 'tensorflow-serving',
    image: version.image,
    command: ['tensorflow_model_server'],
    args,
    ...(download ? {} : { env: nativeS3Env(model) }),
    ports: [
      { name: 'grpc', containerPort: model.ports.grpc, protocol: 'TCP' },
      { name: 'http', containerPort: model.ports.rest, protocol: 'TCP' },
    ],
    resources: { requests: resources, limits: resources },
    // Large models take minutes to load: the startup probe allows 10 minutes before liveness applies.
    startupProbe: { ...loaded, periodSeconds: 10, failureThreshold: 60 },
    readinessProbe: loaded,
    livenessProbe: { tcpSocket: { port: 'grpc' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    // Let endpoints and the mesh stop sending traffic before the server exits.
    lifecycle: { preStop: { sleep: { seconds: 10 } } },
    securityContext: restricted(),
    volumeMounts: [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      ...(download ? [{ name: 'models', mountPath: MODELS_DIR, readOnly: true }] : []),
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}
