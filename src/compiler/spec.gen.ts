/* Generated from schema/serving.schema.json by `npm run generate`: the spec types. Do not edit; a test fails when it drifts. */

/**
 * A TensorFlow model served on Kubernetes with Istio: where the model lives, which versions run, how traffic is split between them and how a new version is rolled out. servec compiles it into ServiceEntry, Gateway, Deployments, Service, ConfigMaps, VirtualService, DestinationRule and, for automated rollouts, a Flagger Canary.
 */
export interface ModelService {
  /**
   * Version of the servec spec format.
   */
  apiVersion: 'servec.dev/v1alpha1';
  /**
   * Kind of the servec spec.
   */
  kind: 'ModelService';
  /**
   * Identity of the model service. The name becomes the Service, the app label and the prefix of every emitted object.
   */
  metadata: {
    /**
     * Name of the model service: a DNS-1035 label (lower-case letters, digits and '-', starting with a letter), at most 63 characters; suffixes such as '-v2' or '-primary' must still fit.
     */
    name: string;
    /**
     * Namespace every namespaced object is emitted into.
     */
    namespace?: string;
    /**
     * Extra labels added to every emitted object.
     */
    labels?: {
      /**
       * A label value: up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
       */
      [k: string]: string | undefined;
    };
  };
  /**
   * What to serve and how.
   */
  spec: {
    model?: Model;
    storage: Storage;
    /**
     * The versions of the model that run side by side. In manual rollouts each gets its own Deployment and DestinationRule subset; in flagger rollouts list exactly one, the version you want, and Flagger canaries every change to it.
     *
     * @minItems 1
     * @maxItems 16
     */
    versions: Version[];
    /**
     * Share of requests, in percent, each version receives in manual rollouts, keyed by version name; the weights must add up to 100. May be left out when there is a single version (it gets 100). A version absent here, or at 0, keeps running but gets no traffic.
     */
    traffic?: {
      /**
       * Percentage of requests, 0 to 100, for the version named by the key.
       */
      [k: string]: number | undefined;
    };
    rollout?: Rollout;
    slo?: Slo;
    /**
     * Named node profiles that versions refer to by name. A profile called 'default' replaces the built-in default (1 CPU, 2Gi memory, 2 replicas).
     */
    profiles?: {
      [k: string]: Profile | undefined;
    };
    gateway?: Gateway;
    ports?: Ports;
    /**
     * Which APIs the Service exposes and the gateway routes. TF Serving always listens on both ports; the REST port also serves probes and metrics.
     *
     * @minItems 1
     *
     * Items: grpc or rest.
     */
    protocols?: ('grpc' | 'rest')[];
    security?: Security;
    batching?: Batching;
    monitoring?: Monitoring;
  };
}
/**
 * The model as TF Serving knows it.
 */
export interface Model {
  /**
   * TF Serving model name, used in request paths (/v1/models/NAME) and gRPC ModelSpec: letters, digits, '_', '.' and '-'. Defaults to metadata.name.
   */
  name?: string;
  /**
   * TF Serving model platform.
   */
  platform?: 'tensorflow';
}
/**
 * Where the model's version directories live. servec never takes credentials by value: name a Secret or use an IAM role through the ServiceAccount (IRSA).
 */
export interface Storage {
  /**
   * S3 location of the model: s3://BUCKET/PREFIX, under which each version is an integer directory (PREFIX/1/saved_model.pb).
   */
  uri: string;
  /**
   * AWS region of the bucket.
   */
  region?: string;
  /**
   * Custom S3-compatible endpoint as host or host:port, without scheme (for example MinIO: minio.storage.svc:9000). Left out, the AWS regional endpoint is used.
   */
  endpoint?: string;
  /**
   * Talk to the endpoint over HTTPS.
   */
  tls?: boolean;
  /**
   * Verify the endpoint's certificate when tls is on.
   */
  verifyTls?: boolean;
  /**
   * How pods authenticate to S3: a reference to a Secret, or an IAM role for the model's ServiceAccount (IRSA). Left out, the node's own role is used.
   */
  credentials?: {
    /**
     * A Secret in the model's namespace holding the access key pair.
     */
    secret?: {
      /**
       * Name of the Secret.
       */
      name: string;
      /**
       * Key in the Secret holding the access key id.
       */
      accessKeyIdKey?: string;
      /**
       * Key in the Secret holding the secret access key.
       */
      secretAccessKeyKey?: string;
    };
    /**
     * Use an IAM role through IRSA: the model's ServiceAccount is annotated with the role.
     */
    serviceAccount?: {
      /**
       * ARN of the IAM role to assume.
       */
      roleArn: string;
    };
  };
  /**
   * How TF Serving gets the model. 'download' copies each version into a volume with an init container before the server starts (needed for TF Serving 2.7 and later, which cannot read s3://); 'native' lets TF Serving read s3:// itself (2.6 and earlier); 'auto' picks native only for images tagged 2.6 or older.
   */
  access?: 'auto' | 'download' | 'native';
  /**
   * Whether the download init container bypasses the Istio proxy by running as its UID 1337. 'always': it does (needed with the Istio CNI plugin and classic sidecars, where traffic is redirected before the proxy runs; skips mTLS and egress policy). 'never': it does not, and the pod asks for a native sidecar (sidecar.istio.io/nativeSidecar) so the proxy runs before init containers and the download goes through the mesh (Kubernetes 1.29 or later). 'auto': bypass for a store outside the mesh (AWS, an external endpoint), not for an endpoint that is a Service of the cluster (an in-mesh store under STRICT mTLS refuses plain text).
   */
  meshBypass?: 'auto' | 'always' | 'never';
  /**
   * Image of the init container that downloads the model; it must provide the aws CLI.
   */
  downloaderImage?: string;
}
/**
 * One version of the model.
 */
export interface Version {
  /**
   * Name of the version, used as the 'version' label, the DestinationRule subset and the Deployment suffix; a DNS-1123 label such as v1.
   */
  name: string;
  /**
   * Integer version directory under the storage URI that this version serves (TF Serving's specific version policy).
   */
  modelVersion: number;
  /**
   * TF Serving container image, pinned to a tag or digest. A GPU profile needs a GPU image (tag containing 'gpu').
   */
  image?: string;
  /**
   * Name of the node profile (spec.profiles) this version runs on.
   */
  profile?: string;
}
/**
 * How a new version reaches users: 'manual' applies the weights in spec.traffic; 'flagger' hands traffic to Flagger, which shifts it step by step while the SLOs hold.
 */
export interface Rollout {
  /**
   * Rollout strategy.
   */
  strategy?: 'manual' | 'flagger';
  flagger?: Flagger;
}
/**
 * Flagger canary analysis, used when strategy is 'flagger'.
 */
export interface Flagger {
  /**
   * Time between analysis steps, in seconds or minutes (Flagger accepts no other unit).
   */
  interval?: string;
  /**
   * Failed checks tolerated before the canary is rolled back.
   */
  threshold?: number;
  /**
   * Traffic percentage added to the canary at each step (with maxWeight).
   */
  stepWeight?: number;
  /**
   * Highest canary percentage before promotion.
   */
  maxWeight?: number;
  /**
   * Explicit canary percentages, step by step, instead of stepWeight/maxWeight. [30] with manualPromotion holds at 30% until promoted.
   *
   * @minItems 1
   *
   * Items: Canary percentage at this step, 1 to 100.
   */
  stepWeights?: number[];
  /**
   * The API Flagger routes and measures (Flagger routes one port per canary). Defaults to grpc when spec.protocols includes it.
   */
  protocol?: 'grpc' | 'rest';
  /**
   * 'servec' emits MetricTemplates that fit the protocol: success is gRPC OK, or HTTP 2xx/3xx, only (see clientErrors). 'flagger-builtin' uses Flagger's built-in request-success-rate and request-duration, which count every non-5xx status as a success (a 403 from an authorization denial too, and every gRPC error) and only know the 99th percentile.
   */
  metrics?: 'servec' | 'flagger-builtin';
  /**
   * Errors the service's clients cause, counted as successes by servec's success-rate templates (metrics: servec). By default only gRPC OK and HTTP 2xx/3xx are successes: a canary that refuses its callers (PERMISSION_DENIED, 403) or rejects valid requests (INVALID_ARGUMENT, 400) fails the analysis. Declare a code here only when your clients send requests the model must refuse.
   */
  clientErrors?: {
    /**
     * gRPC status names counted as successes, e.g. NOT_FOUND.
     *
     * Items: A gRPC status code name.
     */
    grpc?: (
      | 'CANCELLED'
      | 'UNKNOWN'
      | 'INVALID_ARGUMENT'
      | 'DEADLINE_EXCEEDED'
      | 'NOT_FOUND'
      | 'ALREADY_EXISTS'
      | 'PERMISSION_DENIED'
      | 'RESOURCE_EXHAUSTED'
      | 'FAILED_PRECONDITION'
      | 'ABORTED'
      | 'OUT_OF_RANGE'
      | 'UNIMPLEMENTED'
      | 'INTERNAL'
      | 'UNAVAILABLE'
      | 'DATA_LOSS'
      | 'UNAUTHENTICATED'
    )[];
    /**
     * HTTP 4xx statuses counted as successes, e.g. 404.
     *
     * Items: An HTTP client-error status.
     */
    http?: number[];
  };
  /**
   * A flagger-loadtester webhook that sends traffic to the canary during the analysis, so the metrics have values. Without `command`, servec builds one from the spec: `hey` POSTing `request` to the model's REST predict path, or `ghz` calling Predict with `request` (GetModelStatus without it) on the canary Service.
   */
  loadTest?: {
    /**
     * URL of the load tester.
     */
    url?: string;
    /**
     * Command the load tester runs (a ghz or hey invocation against NAME-canary). Leave it out to let servec build it from request, protoset and duration.
     */
    command?: string;
    /**
     * The request the load test sends, as JSON text: for REST the predict body (`{"instances": [...]}`), for gRPC a PredictRequest in protobuf JSON (`model_spec` is added when missing). Without it a gRPC load test only calls GetModelStatus, which exercises no inference (SV305).
     */
    request?: string;
    /**
     * Instead of request: the path, inside the load tester's pod, of a file holding the request (hey and ghz -D), for requests too large to write here, such as an image tensor. For gRPC it must name the model (model_spec).
     */
    requestFile?: string;
    /**
     * Path, inside the load tester's pod, of a protobuf descriptor set of TF Serving's prediction_service.proto and model_service.proto (`protoc --include_imports --descriptor_set_out`). ghz needs it for a gRPC load test: TF Serving has no server reflection.
     */
    protoset?: string;
    /**
     * How long each load-test run sends requests (hey/ghz -z); by default the analysis interval.
     */
    duration?: string;
    /**
     * The load tester's identity, as namespace/serviceaccount; the AuthorizationPolicy admits it. The default is what flagger's standard installs run as (kustomize and the Helm chart without rbac.create).
     */
    identity?: string;
  };
  /**
   * Wait for a confirm-promotion gate before promoting.
   */
  manualPromotion?: boolean;
  /**
   * URL of the confirm-promotion webhook used with manualPromotion.
   */
  promotionGateUrl?: string;
  /**
   * Seconds Flagger (and Kubernetes, for the Deployment) wait for the canary Deployment to make progress before rolling back. By default the profile's startupSeconds, plus 300 s for the model download when there is one, plus 120 s for scheduling and image pulls; a value below startupSeconds plus the download is an error.
   */
  progressDeadlineSeconds?: number;
  /**
   * Address of the Prometheus that Flagger's metric templates query.
   */
  prometheus?: string;
}
/**
 * Service-level objectives. In flagger rollouts they become the analysis' metric checks.
 */
export interface Slo {
  /**
   * Lowest acceptable share of successful requests, in percent: 99 means 99%.
   */
  successRate?: number;
  /**
   * Highest acceptable request latency at a percentile.
   */
  latency?: {
    /**
     * Latency percentile to bound.
     */
    percentile?: 50 | 90 | 95 | 99;
    /**
     * Bound in milliseconds.
     */
    maxMs: number;
  };
}
/**
 * Resources and placement of a version's pods.
 */
export interface Profile {
  /**
   * CPU request and limit (Kubernetes quantity such as 2 or 500m). Also sizes TF Serving's thread pools.
   */
  cpu?: string | number;
  /**
   * Memory request and limit (Kubernetes quantity such as 4Gi).
   */
  memory?: string;
  /**
   * NVIDIA GPUs per pod (nvidia.com/gpu); needs a GPU image.
   */
  gpu?: number;
  /**
   * Pods per version (the minimum when autoscaling).
   */
  replicas?: number;
  /**
   * Scale with a HorizontalPodAutoscaler on CPU utilisation.
   */
  autoscaling?: {
    /**
     * Most pods per version.
     */
    maxReplicas: number;
    /**
     * Average CPU utilisation, in percent of the request, to keep pods at.
     */
    targetCPUUtilization?: number;
  };
  /**
   * Seconds a pod may take to load the model and become ready (the startup probe's budget, before liveness applies). With the model download before it, it sets the rollout's progress deadlines.
   */
  startupSeconds?: number;
  /**
   * Node labels the pods must run on.
   */
  nodeSelector?: {
    /**
     * A label value: up to 63 letters, digits, '-', '_' and '.'.
     */
    [k: string]: string | undefined;
  };
  /**
   * Taints the pods tolerate (a GPU profile tolerates nvidia.com/gpu on its own).
   *
   * Items: A Kubernetes toleration.
   */
  tolerations?: {
    /**
     * Taint key.
     */
    key?: string;
    /**
     * Exists or Equal.
     */
    operator?: 'Exists' | 'Equal';
    /**
     * Taint value (with Equal).
     */
    value?: string;
    /**
     * Taint effect.
     */
    effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
    /**
     * How long a NoExecute taint is tolerated.
     */
    tolerationSeconds?: number;
  }[];
}
/**
 * The Istio ingress Gateway the model is reachable through: one servec writes for this service, or (ref) an existing shared one.
 */
export interface Gateway {
  /**
   * An existing Gateway to attach to, as NAMESPACE/NAME, instead of writing one: its owner sets port, protocol, TLS and selector, so those are not allowed here. Routes of several services on one shared Gateway must not overlap (checked across one build).
   */
  ref?: string;
  /**
   * How the cluster's ingress gateway was installed, which decides the default selector and identity. helm: Istio's documented install (chart istio/gateway, release istio-ingress in namespace istio-ingress): selector {istio: ingress}, identity istio-ingress/istio-ingress, Service ports 80 and 443. istioctl: the legacy istio-ingressgateway: selector {istio: ingressgateway}, identity istio-system/istio-ingressgateway-service-account, Service ports 80 and 443 (the demo profile adds 31400 and 15443).
   */
  install?: 'helm' | 'istioctl';
  /**
   * Port the ingress gateway listens on for this model.
   */
  port?: number;
  /**
   * Gateway port protocol. Defaults to HTTPS with tlsSecret, else HTTP2 when gRPC is exposed, else HTTP.
   */
  protocol?: 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS';
  /**
   * Host names the gateway accepts for this model. Give each service its own (or, on one host, distinct model names and at most one gRPC service): specs of one build whose gateway routes overlap are refused.
   *
   * @minItems 1
   *
   * Items: A host name such as models.example.com, *.example.com or * (lower case).
   */
  hosts?: string[];
  /**
   * Secret, in the ingress gateway's namespace, holding the TLS certificate; turns on SIMPLE TLS termination.
   */
  tlsSecret?: string;
  /**
   * Labels of the ingress gateway pods. Default: by gateway.install ({istio: ingress} for helm, {istio: ingressgateway} for istioctl).
   */
  selector?: {
    /**
     * A label value of the ingress gateway pods.
     */
    [k: string]: string | undefined;
  };
  /**
   * Identity of the ingress gateway, as namespace/serviceaccount; the only caller allowed besides security.callers. Default: by gateway.install (istio-ingress/istio-ingress for helm, istio-system/istio-ingressgateway-service-account for istioctl).
   */
  serviceAccount?: string;
}
/**
 * Ports TF Serving listens on.
 */
export interface Ports {
  /**
   * gRPC port (--port).
   */
  grpc?: number;
  /**
   * REST port (--rest_api_port); also serves probes and metrics.
   */
  rest?: number;
}
/**
 * Mesh security of the model's pods.
 */
export interface Security {
  /**
   * Require mutual TLS (PeerAuthentication STRICT, DestinationRule ISTIO_MUTUAL).
   */
  mtls?: boolean;
  /**
   * Workloads allowed to call the model besides the ingress gateway, as namespace/serviceaccount.
   *
   * Items: A workload identity as namespace/serviceaccount, e.g. web/frontend.
   */
  callers?: string[];
  /**
   * Emit an AuthorizationPolicy that only lets in the ingress gateway and the callers.
   */
  authorization?: boolean;
}
/**
 * Server-side batching (--enable_batching); left out, batching is off.
 */
export interface Batching {
  /**
   * Largest batch.
   */
  maxBatchSize?: number;
  /**
   * Longest wait to fill a batch, in microseconds.
   */
  batchTimeoutMicros?: number;
  /**
   * Batches queued before requests are refused.
   */
  maxEnqueuedBatches?: number;
  /**
   * Threads processing batches; defaults to the profile's CPUs.
   */
  numBatchThreads?: number;
}
/**
 * Prometheus metrics from TF Serving.
 */
export interface Monitoring {
  /**
   * Turn on TF Serving's Prometheus endpoint and add scrape annotations.
   */
  enabled?: boolean;
}
