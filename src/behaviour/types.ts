/**
 * Types of the behaviour model: what a running cluster would do with servec's output. Plain data
 * throughout, so results print and compare with deep equality (a `plan OLD NEW` diff, a test).
 */

/** A Kubernetes object as plain data (what servec emits, or what Flagger would create). */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The ingress gateway pods of one install: their labels, namespace and service account. */
export interface GatewayInstall {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  serviceAccount: string;
  /** Ports the gateway's Service exposes to clients; absent: every Gateway server port is reachable. */
  servicePorts?: readonly number[];
}

/** Istio's documented Helm install (release `istio-ingress`): the chart's Service exposes 15021, 80, 443. */
export const HELM_GATEWAY: GatewayInstall = {
  name: 'helm',
  namespace: 'istio-ingress',
  labels: { istio: 'ingress' },
  serviceAccount: 'istio-ingress',
  servicePorts: [15021, 80, 443],
};
/** The legacy istioctl default profile's ingress gateway (its Service: 15021, 80, 443; 31400 only in the demo profile). */
export const LEGACY_GATEWAY: GatewayInstall = {
  name: 'legacy',
  namespace: 'istio-system',
  labels: { istio: 'ingressgateway' },
  serviceAccount: 'istio-ingressgateway-service-account',
  servicePorts: [15021, 80, 443],
};

/** What the objects alone do not say about the cluster they are applied to. */
export interface Cluster {
  /** The gateway install requests enter through. */
  gateway: GatewayInstall;
  /** Namespaces labelled `istio-injection=enabled` (none by default). */
  injectedNamespaces: readonly string[];
  /** Flagger's current canary weight: 0 at rest, a step weight during an analysis. */
  canaryWeight: number;
  /** The load tester's identity, `namespace/serviceAccount` (the standard installs run as `test/default`). */
  loadTester: string;
  /** Identities of in-mesh callers to show in a summary (besides the load tester). */
  meshCallers: readonly string[];
}

export const DEFAULT_CLUSTER: Cluster = {
  gateway: HELM_GATEWAY,
  injectedNamespaces: [],
  canaryWeight: 0,
  loadTester: 'test/default',
  meshCallers: ['default/default'],
};

export type Protocol = 'grpc' | 'rest';

/** One request: who sends it, to which host and port, in which protocol. */
export type Caller =
  | { kind: 'gateway'; host: string; port: number; protocol: Protocol; path?: string }
  | { kind: 'mesh'; identity: string; host: string; port: number; protocol: Protocol; path?: string; sidecar?: boolean };

/** Why a request is not answered, and what the caller sees. */
export type RefusalCode =
  | 'no-gateway-server'
  | 'no-route'
  | 'no-service'
  | 'port-not-on-service'
  | 'no-endpoints'
  | 'wrong-protocol'
  | 'mtls-to-plaintext'
  | 'plaintext-to-strict'
  | 'denied';

export interface Refusal {
  code: RefusalCode;
  reason: string;
  /** What a gRPC caller sees (status code), or an HTTP caller (status). */
  grpcStatus: number;
  httpStatus: number;
}

/** One part of the requests of a call: answered by a Deployment's pods, or refused. */
export type Share =
  | {
      percent: number;
      deployment: string;
      namespace: string;
      /** `primary` or `canary` when the Deployment is one of a Flagger Canary's. */
      role?: 'primary' | 'canary';
      modelVersions: number[];
      image: string;
    }
  | { percent: number; refused: Refusal };

export interface CallResult {
  caller: Caller;
  /** Sorted: answered shares by deployment name, then refusals by code; percents rounded to 0.01. */
  shares: Share[];
}

/** Every caller class of one served Service. */
export interface ServiceBehaviour {
  /** `namespace/name` of the Service callers address (for a Canary, Flagger's apex Service). */
  service: string;
  mode: 'manual' | 'flagger';
  calls: CallResult[];
}
