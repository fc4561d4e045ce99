/**
 * The normalized form of one ModelService: every default applied, every derived name and
 * cross-reference computed once. Emitters read only this.
 */
export interface Model {
  name: string;
  namespace: string;
  /** Labels on every emitted object (user labels plus servec's own). */
  labels: Record<string, string>;
  modelName: string;
  platform: 'tensorflow';
  storage: Storage;
  versions: Version[];
  mode: 'manual' | 'flagger';
  flagger?: Flagger;
  slo: Slo;
  gateway: Gateway;
  ports: { grpc: number; rest: number };
  protocols: { grpc: boolean; rest: boolean };
  security: { mtls: boolean; callers: string[]; authorization: boolean };
  batching?: { maxBatchSize: number; batchTimeoutMicros: number; maxEnqueuedBatches: number; numBatchThreads?: number };
  monitoring: boolean;
  names: Names;
}

export interface Names {
  service: string;
  serviceHost: string;
  serviceAccount: string;
  gateway: string;
  virtualService: string;
  destinationRule: string;
  serviceEntry: string;
  peerAuthentication: string;
  authorizationPolicy: string;
  canary: string;
}

export interface Storage {
  uri: string;
  bucket: string;
  prefix: string;
  region: string;
  endpoint?: { host: string; port: number };
  tls: boolean;
  verifyTls: boolean;
  credentials:
    | { kind: 'secret'; name: string; accessKeyIdKey: string; secretAccessKeyKey: string }
    | { kind: 'irsa'; roleArn: string }
    | { kind: 'node' };
  downloaderImage: string;
}

export interface Profile {
  name: string;
  cpu: string;
  /** CPUs as a whole number of at least 1, for thread pools. */
  cpuCount: number;
  memory: string;
  gpu: number;
  replicas: number;
  autoscaling?: { maxReplicas: number; targetCPUUtilization: number };
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface Version {
  /** Index in spec.versions, for diagnostics. */
  index: number;
  name: string;
  modelVersion: number;
  image: string;
  profile: Profile;
  /** Percentage of traffic in manual mode. */
  weight: number;
  /** How the server gets the model: downloaded by an init container, or read from S3 natively. */
  access: 'download' | 'native';
  deployment: string;
  /** Labels selecting this version's pods. */
  selector: Record<string, string>;
  /** Files of TF Serving's config directory (model_config_list text proto, monitoring, batching). */
  configData: Record<string, string>;
  /** The ConfigMap holding configData, named by its content hash so that a change rolls the pods. */
  configMap: string;
}

export interface Flagger {
  interval: string;
  threshold: number;
  steps: { stepWeights: number[] } | { stepWeight: number; maxWeight: number };
  protocol: 'grpc' | 'rest';
  metrics: 'servec' | 'flagger-builtin';
  loadTest?: { url: string; command: string };
  promotionGate?: string;
  progressDeadlineSeconds: number;
  /** The analysis' metric checks, derived from the SLOs; `template` when servec emits the query. */
  checks: FlaggerCheck[];
}

export interface FlaggerCheck {
  name: string;
  thresholdRange: { min?: number; max?: number };
  template?: { name: string; query: string; prometheus: string };
}

export interface Slo {
  successRate?: number;
  latency?: { percentile: 50 | 90 | 95 | 99; maxMs: number };
}

export interface Gateway {
  name: string;
  port: number;
  protocol: 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS';
  hosts: string[];
  tlsSecret?: string;
  selector: Record<string, string>;
  /** Identity of the ingress gateway, as namespace/serviceaccount. */
  serviceAccount: string;
}
