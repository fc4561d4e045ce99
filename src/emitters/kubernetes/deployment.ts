import type { V1Container, V1PodSpec, V1Probe, V1SecurityContext, V1Toleration } from '@kubernetes/client-node';
import type { Access, ServicePlan, Version } from '../../plan/index.js';
import { meta } from '../shared/meta.js';
import type { Deployment, Emitter } from '../shared/types.js';

const CONFIG_DIR = '/etc/servec';

/** UID of the Istio proxy: traffic from it bypasses the sidecar (see README, "Model download"). */
const ISTIO_PROXY_UID = 1337;
const SERVER_UID = 1000;
/** The server's preStop sleep: endpoints and the mesh stop sending traffic before it exits. */
const PRE_STOP_SECONDS = 10;
/** The proxy keeps serving while the server drains: longer than preStop (Istio's default drain is 5 s). */
const PROXY_DRAIN_SECONDS = PRE_STOP_SECONDS + 5;
/** Room for preStop, the proxy's drain and TF Serving's own shutdown before the kubelet kills the pod. */
const TERMINATION_GRACE_SECONDS = 45;

/** A TF Serving Deployment per version (in flagger mode the one Flagger canaries). */
export const deployment: Emitter<Deployment> = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  emit: (plan) => plan.versions.map((version) => workload(plan, version)),
};

function workload(plan: ServicePlan, version: Version): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(plan, version.deployment, version.selector),
    spec: {
      // With an autoscaler (always, in flagger mode) the replica count is its business; applying one would fight it.
      ...(version.autoscaler ? {} : { replicas: version.profile.replicas }),
      // Download and model load come before the first ready pod (Kubernetes' own default is 600 s).
      progressDeadlineSeconds: version.progressDeadlineSeconds,
      revisionHistoryLimit: 5,
      selector: { matchLabels: version.selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...plan.labels, ...version.selector, ...podMeshLabels(plan) }, annotations: podAnnotations(plan, version) },
        spec: podSpec(plan, version),
      },
    },
  };
}

/**
 * mTLS and authorization mean nothing without a sidecar: the pods ask for one instead of relying on
 * a namespace label (the gateway's ISTIO_MUTUAL would meet a plain-text pod).
 */
function podMeshLabels(plan: ServicePlan): Record<string, string> {
  return plan.security.mtls || plan.security.authorization ? { 'sidecar.istio.io/inject': 'true' } : {};
}

function podAnnotations(plan: ServicePlan, version: Version): Record<string, string> {
  const proxy = {
    // Start TF Serving only once the sidecar is up, so its first requests are not refused.
    holdApplicationUntilProxyStarts: true,
    terminationDrainDuration: `${PROXY_DRAIN_SECONDS}s`,
  };
  const annotations: Record<string, string> = { 'proxy.istio.io/config': JSON.stringify(proxy) };
  // A download inside the mesh needs the proxy running before init containers: a native sidecar.
  if (version.access.kind === 'download' && !version.access.bypassMesh) annotations['sidecar.istio.io/nativeSidecar'] = 'true';
  if (plan.monitoring) {
    annotations['prometheus.io/scrape'] = 'true';
    annotations['prometheus.io/port'] = String(plan.monitoring.port);
    annotations['prometheus.io/path'] = plan.monitoring.path;
  }
  return annotations;
}

function podSpec(plan: ServicePlan, version: Version): V1PodSpec {
  const profile = version.profile;
  const access = version.access;
  const download = access.kind === 'download';
  const spread = profile.replicas > 1 || profile.autoscaling !== undefined;
  const tolerations: V1Toleration[] = [...profile.tolerations];
  if (profile.gpu > 0 && !tolerations.some((t) => t.key === 'nvidia.com/gpu')) {
    tolerations.push({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  }
  return {
    serviceAccountName: plan.names.serviceAccount,
    automountServiceAccountToken: plan.storage.credentials.kind === 'irsa',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SERVER_UID,
      runAsGroup: SERVER_UID,
      fsGroup: SERVER_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
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
    ...(access.kind === 'download' && { initContainers: [downloader(access)] }),
    containers: [server(plan, version)],
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
function downloader(access: Extract<Access, { kind: 'download' }>): V1Container {
  return {
    name: 'model-download',
    image: access.image,
    command: access.command,
    args: access.args,
    env: access.env,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    securityContext: restricted(access.bypassMesh ? ISTIO_PROXY_UID : undefined),
    volumeMounts: [
      { name: 'models', mountPath: access.mountPath },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

function server(plan: ServicePlan, version: Version): V1Container {
  const profile = version.profile;
  const download = version.access.kind === 'download';
  const threads = String(profile.cpuCount);
  const args = [
    `--port=${plan.ports.grpc.port}`,
    `--rest_api_port=${plan.ports.rest.port}`,
    `--model_config_file=${CONFIG_DIR}/models.config`,
    `--tensorflow_intra_op_parallelism=${threads}`,
    `--tensorflow_inter_op_parallelism=${threads}`,
  ];
  // A downloaded version never changes on disk: read it once instead of polling.
  if (download) args.push('--file_system_poll_wait_seconds=0');
  if (plan.monitoring) args.push(`--monitoring_config_file=${CONFIG_DIR}/monitoring.config`);
  if (plan.batching) args.push('--enable_batching=true', `--batching_parameters_file=${CONFIG_DIR}/batching.config`);
  const resources: Record<string, string> = { cpu: profile.cpu, memory: profile.memory };
  if (profile.gpu > 0) resources['nvidia.com/gpu'] = String(profile.gpu);
  const loaded: V1Probe = {
    httpGet: { path: `/v1/models/${plan.model.name}/versions/${version.modelVersion.value}`, port: 'http' },
    periodSeconds: 5,
    timeoutSeconds: 3,
    failureThreshold: 3,
  };
  return {
    name: 'tensorflow-serving',
    image: version.image.reference,
    command: ['tensorflow_model_server'],
    args,
    ...(version.access.kind === 'native' && { env: version.access.env }),
    ports: [
      { name: containerPortName(plan, 'grpc'), containerPort: plan.ports.grpc.port, protocol: 'TCP' },
      { name: containerPortName(plan, 'rest'), containerPort: plan.ports.rest.port, protocol: 'TCP' },
    ],
    resources: { requests: resources, limits: resources },
    // Large models take minutes to load: the startup probe allows the profile's startupSeconds before liveness applies.
    startupProbe: { ...loaded, periodSeconds: 10, failureThreshold: Math.ceil(version.profile.startupSeconds / 10) },
    readinessProbe: loaded,
    livenessProbe: { tcpSocket: { port: containerPortName(plan, 'grpc') }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    // Let endpoints and the mesh stop sending traffic before the server exits.
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: restricted(),
    volumeMounts: [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      ...(version.access.kind === 'download' ? [{ name: 'models', mountPath: version.access.mountPath, readOnly: true }] : []),
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

/** A container port's name; Flagger copies it onto its Services for the API it does not route (see Flagger.uncanaried). */
function containerPortName(plan: ServicePlan, protocol: 'grpc' | 'rest'): string {
  const other = plan.flagger?.uncanaried;
  return other?.protocol === protocol ? other.containerPortName : protocol === 'grpc' ? 'grpc' : 'http';
}
