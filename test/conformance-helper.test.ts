/**
 * Proves the conformance helpers catch what they are for, both ways: hand-written objects
 * that the upstream schemas accept pass, and small mistakes in them are reported.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConformance } from './helpers/conformance.js';
import { checkTextProto, protocAvailable } from './helpers/textproto.js';

type Obj = Record<string, any>;

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'resnet-v1', namespace: 'ml', labels: { 'app.kubernetes.io/name': 'resnet' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'resnet' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'resnet' }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          containers: [
            {
              name: 'serving',
              image: 'tensorflow/serving:2.19.0',
              args: ['--port=8500', '--rest_api_port=8501'],
              ports: [
                { name: 'grpc', containerPort: 8500 },
                { name: 'http', containerPort: 8501, protocol: 'TCP' },
              ],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2, memory: '2Gi' } },
              readinessProbe: { httpGet: { path: '/v1/models/resnet', port: 'http' }, periodSeconds: 5 },
            },
          ],
        },
      },
    },
  };
}

function service(targetPort: unknown): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'resnet' },
    spec: { selector: { app: 'resnet' }, ports: [{ name: 'grpc', port: 8500, targetPort }] },
  };
}

function virtualService(): Obj {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'resnet' },
    spec: {
      hosts: ['resnet.ml.svc.cluster.local'],
      http: [
        {
          match: [{ uri: { prefix: '/v1/models/resnet' } }],
          route: [
            { destination: { host: 'resnet', subset: 'v1', port: { number: 8501 } }, weight: 90 },
            { destination: { host: 'resnet', subset: 'v2', port: { number: 8501 } }, weight: 10 },
          ],
          timeout: '30s',
          retries: { attempts: 2, perTryTimeout: '10s' },
        },
      ],
    },
  };
}

function canary(): Obj {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'resnet', namespace: 'ml' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'resnet' },
      service: { port: 8501, targetPort: 'http' },
      analysis: {
        interval: '1m',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
          { name: 'latency', templateRef: { name: 'latency', namespace: 'ml' }, thresholdRange: { max: 500 }, interval: '30s' },
        ],
      },
    },
  };
}

const conformance = loadConformance();

/** Asserts exactly the expected lines, so messages stay readable. */
function expectErrors(obj: unknown, expected: string[]): void {
  assert.equal(conformance.validate(obj), expected);
}

test('loadConformance is cached', () => {
  assert.is(loadConformance(), conformance);
});

test('a valid apps/v1 Deployment passes', () => {
  expectErrors(deployment(), []);
});

test('an unknown field in a container is reported', () => {
  const d = deployment();
  d.spec.template.spec.containers[0].foo = 1;
  expectErrors(d, ['Deployment/resnet-v1: /spec/template/spec/containers/0/foo: unknown field']);
});

test('unknown fields in metadata and at the top level are reported', () => {
  const d = deployment();
  d.metadata.label = { app: 'resnet' };
  d.extra = true;
  expectErrors(d, ['Deployment/resnet-v1: /extra: unknown field', 'Deployment/resnet-v1: /metadata/label: unknown field']);
});

test('a wrong type is reported', () => {
  const d = deployment();
  d.spec.replicas = '2';
  d.spec.template.spec.containers[0].ports[0].containerPort = '8500';
  expectErrors(d, [
    'Deployment/resnet-v1: /spec/replicas: must be integer (got "2")',
    'Deployment/resnet-v1: /spec/template/spec/containers/0/ports/0/containerPort: must be integer (got "8500")',
  ]);
});

test('a missing required field is reported', () => {
  const d = deployment();
  delete d.spec.selector;
  expectErrors(d, ['Deployment/resnet-v1: /spec/selector: required field missing']);
});

test('an int-or-string targetPort accepts both and nothing else', () => {
  expectErrors(service(8500), []);
  expectErrors(service('grpc'), []);
  expectErrors(service(true), ['Service/resnet: /spec/ports/0/targetPort: must be integer or string (got true)']);
});

test('a valid networking.istio.io/v1 VirtualService with weighted routes passes', () => {
  expectErrors(virtualService(), []);
});

test('a VirtualService route weight must be an integer', () => {
  const vs = virtualService();
  vs.spec.http[0].route[0].weight = 'x';
  expectErrors(vs, ['VirtualService/resnet: /spec/http/0/route/0/weight: must be integer (got "x")']);
});

test('unknown fields in a VirtualService spec and in its metadata are reported', () => {
  const vs = virtualService();
  vs.spec.http[0].route[0].destination.weight = 90;
  vs.metadata.labelz = {};
  expectErrors(vs, [
    'VirtualService/resnet: /metadata/labelz: unknown field',
    'VirtualService/resnet: /spec/http/0/route/0/destination/weight: unknown field',
  ]);
});

test("Istio's mutually exclusive fields are reported readably", () => {
  const vs = virtualService();
  vs.spec.http[0].match[0].uri = { prefix: '/a', exact: '/b' };
  expectErrors(vs, [
    'VirtualService/resnet: /spec/http/0/match/0/uri: fields exact, prefix are mutually exclusive (set at most one of exact, prefix, regex)',
  ]);
});

test('every served CRD version is accepted, unknown versions are not', () => {
  expectErrors({ ...virtualService(), apiVersion: 'networking.istio.io/v1beta1' }, []);
  expectErrors({ ...virtualService(), apiVersion: 'networking.istio.io/v2' }, [
    'VirtualService/resnet: no upstream schema for networking.istio.io/v2 VirtualService ' +
      '(VirtualService has schemas for networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1)',
  ]);
});

test('a flagger.app/v1beta1 Canary with thresholdRange metrics passes', () => {
  expectErrors(canary(), []);
});

test('an unknown Canary analysis field is reported', () => {
  const c = canary();
  c.spec.analysis.stepWeights = 10; // the real field is stepWeight (or the list stepWeights: [..])
  c.spec.analysis.maxWeigth = 50;
  expectErrors(c, [
    'Canary/resnet: /spec/analysis/maxWeigth: unknown field',
    'Canary/resnet: /spec/analysis/stepWeights: must be array (got 10)',
    'Canary/resnet: /spec/analysis: fields stepWeight, stepWeights are mutually exclusive ' +
      '(set interval, threshold and exactly one of iterations, stepWeight, stepWeights)',
  ]);
});

test('an unknown apiVersion or kind fails', () => {
  expectErrors({ ...deployment(), apiVersion: 'apps/v1beta9' }, [
    'Deployment/resnet-v1: no upstream schema for apps/v1beta9 Deployment (Deployment has schemas for apps/v1)',
  ]);
  expectErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, [
    'Widget/w: no upstream schema for example.com/v1 Widget',
  ]);
  expectErrors({ kind: 'Service' }, ['Service/(unnamed): apiVersion and kind must both be strings']);
});

test('other kinds servec may emit resolve', () => {
  const objects: Obj[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'models.config': 'x' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's' } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, maxReplicas: 3 },
    },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'd' }, spec: { host: 'resnet' } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p' }, spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 's' }, spec: { selector: {}, endpoints: [{ port: 'http' }] } },
  ];
  for (const obj of objects) assert.equal(conformance.validate(obj), [], `${obj.kind}`);
});

test('an enum value outside the schema is reported', () => {
  const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p' }, spec: { mtls: { mode: 'ON' } } };
  expectErrors(pa, [
    'PeerAuthentication/p: /spec/mtls/mode: must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT" (got "ON")',
  ]);
});

const MODEL_CONFIG =
  'model_config_list { config { name: "m" base_path: "/models/m" model_platform: "tensorflow" ' +
  'model_version_policy { specific { versions: 1 } } } }';

if (protocAvailable) {
  test('a model config text proto parses', () => {
    assert.is(checkTextProto(MODEL_CONFIG, 'tensorflow.serving.ModelServerConfig'), undefined);
  });

  test('a text proto with a misspelt field fails with protoc`s message', () => {
    const error = checkTextProto(MODEL_CONFIG.replace('base_path', 'basepath'), 'tensorflow.serving.ModelServerConfig');
    assert.match(error ?? '', /has no field named "basepath"/);
  });

  test('monitoring and batching text protos parse, wrapper fields need braces', () => {
    assert.is(checkTextProto('prometheus_config { enable: true path: "/metrics" }', 'tensorflow.serving.MonitoringConfig'), undefined);
    assert.is(checkTextProto('max_batch_size { value: 32 }\nnum_batch_threads { value: 4 }\n', 'tensorflow.serving.BatchingParameters'), undefined);
    assert.ok(checkTextProto('max_batch_size: 32', 'tensorflow.serving.BatchingParameters'));
  });
} else {
  console.log('conformance-helper: protoc not installed (apt-get install protobuf-compiler); skipping text proto tests');
}

test.run();
