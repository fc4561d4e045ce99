/**
 * Types of the objects servec emits. Core Kubernetes kinds come from @kubernetes/client-node's
 * models (imported as types only: nothing of the client is loaded at run time); Istio and Flagger
 * kinds follow their upstream CRDs, limited to the fields servec writes.
 */
import type {
  V1ConfigMap,
  V1Deployment,
  V1PodDisruptionBudget,
  V1Service,
  V1ServiceAccount,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Gateway as GatewayPlan, Mode, Routing, ServicePlan } from '../../plan/index.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Resource<ApiVersion extends string, Kind extends string, Spec> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
}

/** A core kind with apiVersion, kind and metadata required (the client's models leave them optional). */
type Core<T, ApiVersion extends string, Kind extends string> = T & { apiVersion: ApiVersion; kind: Kind; metadata: ObjectMeta };

export type Deployment = Core<V1Deployment, 'apps/v1', 'Deployment'>;
export type Service = Core<V1Service, 'v1', 'Service'>;
export type ConfigMap = Core<V1ConfigMap, 'v1', 'ConfigMap'>;
export type ServiceAccount = Core<V1ServiceAccount, 'v1', 'ServiceAccount'>;
export type PodDisruptionBudget = Core<V1PodDisruptionBudget, 'policy/v1', 'PodDisruptionBudget'>;
export type HorizontalPodAutoscaler = Core<V2HorizontalPodAutoscaler, 'autoscaling/v2', 'HorizontalPodAutoscaler'>;

// networking.istio.io/v1
export type ServiceEntry = Resource<'networking.istio.io/v1', 'ServiceEntry', {
  hosts: string[];
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  resolution: 'DNS' | 'STATIC' | 'NONE';
  addresses?: string[];
  endpoints?: Array<{ address: string }>;
  ports: Array<{ number: number; name: string; protocol: string }>;
  exportTo?: string[];
}>;

export type Gateway = Resource<'networking.istio.io/v1', 'Gateway', {
  selector: Record<string, string>;
  servers: Array<{
    port: { number: number; name: string; protocol: string };
    hosts: string[];
    tls?: { mode: 'SIMPLE'; credentialName: string; minProtocolVersion?: string };
  }>;
}>;

export interface HttpRouteDestination {
  destination: { host: string; subset?: string; port?: { number: number } };
  weight?: number;
}

export interface StringMatch {
  prefix?: string;
  exact?: string;
}

export interface HttpMatch {
  uri?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  port?: number;
}

export interface HttpRoute {
  name?: string;
  match?: HttpMatch[];
  route: HttpRouteDestination[];
}

export type VirtualService = Resource<'networking.istio.io/v1', 'VirtualService', {
  hosts: string[];
  gateways: string[];
  http: HttpRoute[];
}>;

export interface TrafficPolicy {
  tls?: { mode: 'ISTIO_MUTUAL' | 'DISABLE' };
}

export type DestinationRule = Resource<'networking.istio.io/v1', 'DestinationRule', {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets: Array<{ name: string; labels: Record<string, string> }>;
}>;

// security.istio.io/v1
export type PeerAuthentication = Resource<'security.istio.io/v1', 'PeerAuthentication', {
  selector: { matchLabels: Record<string, string> };
  mtls: { mode: 'STRICT' | 'PERMISSIVE' };
}>;

export type AuthorizationPolicy = Resource<'security.istio.io/v1', 'AuthorizationPolicy', {
  selector: { matchLabels: Record<string, string> };
  action: 'ALLOW';
  rules: Array<{ from: Array<{ source: { principals: string[] } }> }>;
}>;

// flagger.app/v1beta1
export interface CanaryMetric {
  name: string;
  interval: string;
  thresholdRange: { min?: number; max?: number };
  templateRef?: { name: string; namespace: string };
}

export interface CanaryWebhook {
  name: string;
  type: 'pre-rollout' | 'rollout' | 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion' | 'post-rollout' | 'rollback' | 'event';
  url: string;
  timeout?: string;
  metadata?: Record<string, string>;
}

export type Canary = Resource<'flagger.app/v1beta1', 'Canary', {
  targetRef: { apiVersion: 'apps/v1'; kind: 'Deployment'; name: string };
  autoscalerRef?: { apiVersion: 'autoscaling/v2'; kind: 'HorizontalPodAutoscaler'; name: string };
  progressDeadlineSeconds: number;
  service: {
    name: string;
    port: number;
    portName: string;
    targetPort: number;
    appProtocol?: string;
    portDiscovery?: boolean;
    gateways: string[];
    hosts: string[];
    match?: HttpMatch[];
    trafficPolicy?: TrafficPolicy;
  };
  analysis: {
    interval: string;
    threshold: number;
    stepWeight?: number;
    maxWeight?: number;
    stepWeights?: number[];
    metrics: CanaryMetric[];
    webhooks?: CanaryWebhook[];
  };
}>;

export type MetricTemplate = Resource<'flagger.app/v1beta1', 'MetricTemplate', {
  provider: { type: 'prometheus'; address: string };
  query: string;
}>;

export type K8sObject =
  | Deployment
  | Service
  | ConfigMap
  | ServiceAccount
  | PodDisruptionBudget
  | HorizontalPodAutoscaler
  | ServiceEntry
  | Gateway
  | VirtualService
  | DestinationRule
  | PeerAuthentication
  | AuthorizationPolicy
  | Canary
  | MetricTemplate;

/**
 * One output kind: its apiVersion and kind (the output order is keyed on both), when it applies,
 * and the pure function that turns a plan into its objects. Emitters never import each other.
 */
export interface Emitter<O extends K8sObject = K8sObject> {
  apiVersion: O['apiVersion'];
  kind: O['kind'];
  /** The plans this kind is emitted for; a condition left out holds for every plan. */
  when?: { mode?: Mode; routing?: Routing; gateway?: GatewayPlan['kind'] };
  emit(plan: ServicePlan): O[];
}
