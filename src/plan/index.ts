/**
 * The service plan: one ModelService with every default applied and every derived identity (object
 * names, selectors, labels, hosts, ports, S3 endpoints) computed once. It is the only thing the
 * checks and the emitters read. Types only: this folder imports nothing, so every stage can use it.
 *
 * Elements keep their origin (where in the spec they come from), so a check can point at the
 * user's text without reading the spec itself; the driver turns an origin into a file position.
 */

export type PathSegment = string | number;
export type SpecPath = readonly PathSegment[];

/** Where a value of the plan comes from. */
export interface Origin {
  /** Where the value is (or, for a default, would be) written, e.g. ['spec', 'versions', 0, 'image']. */
  path: SpecPath;
  /** True when the spec writes the value; false when it is the schema's default or derived. */
  given: boolean;
}

export type Labels = Record<string, string>;
export type Protocol = 'grpc' | 'rest';
export type Mode = 'manual' | 'flagger';
/** Which API the service's traffic is routed with. Only Istio today; the Gateway API is next. */
export type Routing = 'istio';

export interface ServicePlan {
  /** metadata.name: the service, and the base of every object name. */
  name: string;
  namespace: string;
  origin: Origin;
  /** Labels on every object and pod (the user's plus servec's own, with the per-spec `app.kubernetes.io/instance`). */
  labels: Labels;
  /** The TensorFlow model the service serves (by default named like the service). */
  model: { name: string; platform: 'tensorflow'; origin: Origin };
  storage: Storage;
  /** Every profile the spec defines, in spec order. */
  profiles: Profile[];
  versions: Version[];
  /** Where spec.versions is. */
  versionsOrigin: Origin;
  /** The weights as written in spec.traffic, when it is written (routing reads Version.weight). */
  traffic?: { origin: Origin; weights: Array<{ version: string; weight: number; origin: Origin }> };
  mode: Mode;
  routing: Routing;
  /** Where spec.rollout.flagger is written, whatever the strategy. */
  flaggerSettings?: Origin;
  flagger?: Flagger;
  slo: Slo;
  gateway: Gateway;
  ports: Record<Protocol, Port> & { origin: Record<Protocol, Origin> };
  /** The protocols the service exposes, gRPC first. */
  exposed: Protocol[];
  security: { mtls: boolean; callers: string[]; authorization: boolean };
  batching?: Batching;
  monitoring?: { path: string; port: number };
  names: Names;
  selectors: Selectors;
}

/** A port with Istio's protocol-selecting name. */
export interface Port {
  name: string;
  port: number;
  appProtocol: string;
}

export interface Names {
  service: string;
  /** The Service's cluster-local DNS name. */
  serviceHost: string;
  serviceAccount: string;
  /** The VirtualService for in-mesh callers of the Service host (named like the Service, as Flagger's is). */
  virtualService: string;
  /** The VirtualService for the gateway's hosts. */
  gatewayRoutes: string;
  destinationRule: string;
  serviceEntry: string;
  peerAuthentication: string;
  authorizationPolicy: string;
  canary: string;
  /** The Deployment and Service Flagger creates for the promoted version. */
  flaggerPrimary: string;
  /** The Service Flagger creates for the canary. */
  flaggerCanary: string;
  /** servec's gateway route, in flagger mode, for the protocol Flagger does not route. */
  flaggerPrimaryRoute: string;
}

export interface Selectors {
  /** Every pod of the service, whoever owns its Deployment (servec or Flagger). */
  pods: Labels;
  /** What the Service servec writes selects (every version). */
  service: Labels;
}

export interface Image {
  reference: string;
  /** Registry and repository, without tag or digest. */
  repository: string;
  tag?: string;
  digest?: string;
  /** TF Serving images up to 2.6 read s3:// themselves. */
  readsS3: boolean;
  origin: Origin;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface Storage {
  uri: string;
  origin: Origin;
  /** Why the URI is not a usable S3 URI, when it is not. */
  problem?: string;
  bucket: string;
  prefix: string;
  region: string;
  /** The access mode asked for (auto chooses per image: see Version.access). */
  access: { requested: 'auto' | 'download' | 'native'; origin: Origin };
  credentials:
    | { kind: 'secret'; name: string; accessKeyIdKey: string; secretAccessKeyKey: string }
    | { kind: 'irsa'; roleArn: string }
    | { kind: 'node' };
  /**
   * What the pods reach outside the mesh, one ServiceEntry each: the S3 hosts (none when the endpoint
   * is a Service of the cluster), and the credential endpoints (STS for IRSA, the instance metadata
   * for node credentials) when S3 is read through the proxy.
   */
  egress: Egress[];
  /** Whether downloads bypass the proxy (run as its UID), as asked and as decided for this store. */
  meshBypass: { requested: 'auto' | 'always' | 'never'; bypass: boolean; origin: Origin; /** The endpoint is a Service of the cluster. */ storeInMesh: boolean };
  downloader: Image;
  /** Environment of a container that reads S3 (region, endpoint, TLS, credentials). */
  nativeEnv: EnvVar[];
}

/** An endpoint outside the mesh the pods reach (a ServiceEntry). */
export interface Egress {
  /** The ServiceEntry's name. */
  name: string;
  hosts: string[];
  port: number;
  protocol: 'TLS' | 'HTTP' | 'TCP';
  /** DNS for host names; STATIC for a fixed address (listed in addresses). */
  resolution: 'DNS' | 'STATIC';
  addresses?: string[];
}

export interface Profile {
  name: string;
  /** Defined under spec.profiles, the built-in default, or named by a version but defined nowhere. */
  defined: 'spec' | 'builtin' | 'missing';
  origin: Origin;
  cpu: string;
  /** CPUs as a whole number of at least 1, for thread pools. */
  cpuCount: number;
  memory: string;
  gpu: number;
  replicas: number;
  autoscaling?: { maxReplicas: number; targetCPUUtilization: number };
  /** Seconds a pod may take to load the model and become ready (the startup probe's budget). */
  startupSeconds: number;
  nodeSelector: Labels;
  tolerations: Toleration[];
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** How a version's server gets the model: a download before it starts, or S3 read natively. */
export type Access =
  | {
      kind: 'download';
      image: string;
      command: string[];
      args: string[];
      env: EnvVar[];
      /** Where the models volume is mounted. */
      mountPath: string;
      /** Runs as the proxy's UID, outside the mesh (storage.meshBypass). */
      bypassMesh: boolean;
    }
  | { kind: 'native'; env: EnvVar[] };

export interface Version {
  name: string;
  origin: Origin;
  modelVersion: { value: number; origin: Origin };
  image: Image;
  profile: Profile;
  /** Where the version names its profile. */
  profileOrigin: Origin;
  /** Percentage of traffic in manual mode. */
  weight: number;
  access: Access;
  /** The Deployment servec writes for the version (in flagger mode, the one Flagger canaries). */
  deployment: string;
  /** Labels selecting this version's pods (and on its Deployment and ConfigMap). */
  selector: Labels;
  /** Labels of this version's DestinationRule subset. */
  subset: Labels;
  /** The pods that serve this version's traffic: the Deployment's, or Flagger's primary. */
  serving: { name: string; selector: Labels; labels: Labels };
  /** Files of TF Serving's config directory (model_config_list text proto, monitoring, batching). */
  configData: Record<string, string>;
  /** The ConfigMap holding configData, named by its content hash so that a change rolls the pods. */
  configMap: string;
  /**
   * The HorizontalPodAutoscaler that owns the replica count, when one does: the profile's autoscaling,
   * or in flagger mode a fixed one (min = max), since Flagger scales its target and an applied
   * `spec.replicas` would scale an idle canary back up.
   */
  autoscaler?: { minReplicas: number; maxReplicas: number; targetCPUUtilization?: number };
  /** The least time a rollout of this version can take to make progress: download and startup. */
  minimumProgressSeconds: number;
  /** The progress deadline of its rollout: the Deployment's, and in flagger mode the Canary's too (one budget). */
  progressDeadlineSeconds: number;
}

export interface Batching {
  maxBatchSize: number;
  batchTimeoutMicros: number;
  maxEnqueuedBatches: number;
  numBatchThreads?: number;
}

export interface Flagger {
  interval: string;
  threshold: number;
  steps: { stepWeights: number[] } | { stepWeight: number; maxWeight: number };
  /** Where each setting is (or would be) written, and spec.rollout itself. */
  origins: Record<'rollout' | 'stepWeights' | 'stepWeight' | 'maxWeight' | 'protocol' | 'metrics', Origin>;
  protocol: Protocol;
  metrics: 'servec' | 'flagger-builtin';
  loadTest?: LoadTest;
  promotionGate?: string;
  /** Where spec.rollout.flagger.progressDeadlineSeconds is: the deadline itself is the version's (one budget for Flagger and the Deployment). */
  progressDeadlineOrigin: Origin;
  /**
   * The exposed protocol Flagger does not route (it routes one port per Canary): servec routes it from
   * the gateway to the primary itself, and names its container port `tcp-…` so that the port Flagger
   * copies onto its Services (portDiscovery) is plain TCP for in-mesh callers, out of reach of the
   * Canary's single HTTP route.
   */
  uncanaried?: { protocol: Protocol; port: number; containerPortName: string };
  /** The analysis' metric checks, derived from the SLOs; `template` when servec emits the query. */
  checks: FlaggerCheck[];
}

export interface LoadTest {
  url: string;
  /** The command the load tester runs: the spec's, or built by servec (see `built`). */
  command: string;
  /** What servec built the command from, when the spec leaves it out. */
  built?: { protocol: Protocol; call: 'predict' | 'status' | 'get-status'; protosetMissing: boolean };
  /** The request as written, for the checks. */
  request?: { text: string; origin: Origin };
  /** Where requestFile is written, when request is written too (one of them is too many). */
  requestFileOrigin?: Origin;
  /** The load tester's identity (namespace/serviceaccount), admitted by the AuthorizationPolicy. */
  identity: string;
  /** Where spec.rollout.flagger.loadTest (and its command) are written. */
  origin: Origin;
  commandOrigin: Origin;
}

export interface FlaggerCheck {
  name: string;
  thresholdRange: { min?: number; max?: number };
  template?: { name: string; query: string; prometheus: string };
}

export interface Slo {
  /** Where spec.slo is (given when the spec writes it). */
  origin: Origin;
  successRate?: number;
  latency?: { percentile: 50 | 90 | 95 | 99; maxMs: number };
}

export interface Gateway {
  /** own: servec writes the Gateway; shared: routes attach to an existing one (gateway.ref). */
  kind: 'own' | 'shared';
  /** The Gateway servec writes (own). */
  name: string;
  /** The gateway as routes name it, namespace/name: the own Gateway, or gateway.ref. */
  reference: string;
  /** How the cluster's ingress gateway was installed (decides the selector and identity defaults). */
  install: 'helm' | 'istioctl';
  port: number;
  protocol: 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS';
  hosts: string[];
  tlsSecret?: string;
  selector: Labels;
  /** Identity of the ingress gateway, as namespace/serviceaccount. */
  serviceAccount: string;
  /** The ports the install's standard gateway Service exposes to clients. */
  clientPorts: readonly number[];
  /** What the install's gateway is called in messages ("Istio's Helm-installed gateway"). */
  installTitle: string;
  origins: Record<'gateway' | 'ref' | 'install' | 'port' | 'protocol' | 'hosts' | 'tlsSecret' | 'selector', Origin>;
}
