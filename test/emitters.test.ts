/** Each emitter on tiny plans, and the registry's rules; goldens show the whole output end to end. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applies, EMITTERS, emit, kindKey, type Emitter, type K8sObject } from '../src/emitters/index.js';
import type { ServicePlan } from '../src/plan/index.js';
import { flaggerPrimaryRoute } from '../src/emitters/flagger/primaryRoute.js';
import { planOf } from './helpers/plan.js';

const byKind = (kind: string): Emitter => EMITTERS.find((e) => e.kind === kind)!;
const flagger = planOf({ rollout: { strategy: 'flagger' }, slo: { successRate: 99, latency: { maxMs: 500 } } });
const restFlagger = planOf({ rollout: { strategy: 'flagger' }, protocols: ['rest'], gateway: { hosts: ['resnet.example.com'] }, slo: { successRate: 99 } });
const manual = planOf({ versions: [{ name: 'v1', modelVersion: 1 }, { name: 'v2', modelVersion: 2 }], traffic: { v1: 90, v2: 10 } });
// Tweaks reach into plain objects: the emitters' output is read back the same way.
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);

/** [case, kind, plan, expectation on the objects emitted]. */
const CASES: Array<[string, string, ServicePlan, (objects: K8sObject[]) => void]> = [
  ['ServiceAccount: no token without IRSA', 'ServiceAccount', planOf(), ([sa]) => assert.is(get(sa, 'automountServiceAccountToken'), false)],
  ['ServiceAccount: the IRSA role annotation', 'ServiceAccount', planOf({ storage: { uri: 's3://b1/x', credentials: { serviceAccount: { roleArn: 'arn:aws:iam::1:role/r' } } } }),
    ([sa]) => assert.is(get(sa, 'metadata.annotations')?.['eks.amazonaws.com/role-arn' as never], 'arn:aws:iam::1:role/r')],
  ['ConfigMap: one per version, immutable', 'ConfigMap', manual, (o) => assert.equal(o.map((c) => [c.metadata.name.replace(/[0-9a-f]{10}$/, 'HASH'), get(c, 'immutable')]), [['resnet-v1-config-HASH', true], ['resnet-v2-config-HASH', true]])],
  ['Service: selects every version by app', 'Service', manual, ([s]) => assert.equal(get(s, 'spec.selector'), { app: 'resnet' })],
  ['Service: only the exposed ports', 'Service', planOf({ protocols: ['rest'] }), ([s]) => assert.equal((get(s, 'spec.ports') as Array<{ name: string }>).map((p) => p.name), ['http'])],
  ['Deployment: one per version, selected by version', 'Deployment', manual, (o) => assert.equal(o.map((d) => get(d, 'spec.selector.matchLabels')), [{ app: 'resnet', version: 'v1' }, { app: 'resnet', version: 'v2' }])],
  ['Deployment: a download init container for new images', 'Deployment', planOf(), ([d]) => assert.equal((get(d, 'spec.template.spec.initContainers') as Array<{ args: string[] }>)[0]!.args.slice(0, 4), ['s3', 'sync', 's3://ml-models/resnet/1', '/models/resnet/1'])],
  ['Deployment: native S3 environment for a 2.6 image', 'Deployment', planOf({ versions: [{ name: 'v1', modelVersion: 1, image: 'tensorflow/serving:2.6.0' }] }),
    ([d]) => assert.ok((get(d, 'spec.template.spec.containers') as Array<{ env?: Array<{ name: string }> }>)[0]!.env!.some((e) => e.name === 'S3_USE_HTTPS'))],
  ['Deployment: pods request a sidecar when mTLS or authorization is on', 'Deployment', planOf({ security: { mtls: false } }),
    ([d]) => assert.is(get(d, 'spec.template.metadata.labels')?.['sidecar.istio.io/inject' as never], 'true')],
  ['Deployment: no sidecar requested with neither', 'Deployment', planOf({ security: { mtls: false, authorization: false } }),
    ([d]) => assert.is(get(d, 'spec.template.metadata.labels')?.['sidecar.istio.io/inject' as never], undefined)],
  ['Deployment: the proxy drains longer than preStop, within the grace period', 'Deployment', planOf(), ([d]) => {
    const proxy = JSON.parse(String(get(d, 'spec.template.metadata.annotations')?.['proxy.istio.io/config' as never])) as { terminationDrainDuration: string };
    const drain = Number(proxy.terminationDrainDuration.replace(/s$/, ''));
    const preStop = get(d, 'spec.template.spec.containers.0.lifecycle.preStop.sleep.seconds') as number;
    assert.ok(drain > preStop, `drain ${drain} s, preStop ${preStop} s`);
    assert.ok((get(d, 'spec.template.spec.terminationGracePeriodSeconds') as number) >= preStop + drain);
  }],
  ['Deployment: a download from AWS bypasses the proxy (auto)', 'Deployment', planOf(), ([d]) => {
    assert.is(get(d, 'spec.template.spec.initContainers.0.securityContext.runAsUser'), 1337);
    assert.is(get(d, 'spec.template.metadata.annotations')?.['sidecar.istio.io/nativeSidecar' as never], undefined);
  }],
  ['Deployment: a download from an in-cluster store goes through a native sidecar (auto)', 'Deployment',
    planOf({ storage: { uri: 's3://b1/x', endpoint: 'minio.storage.svc:9000', tls: false } }), ([d]) => {
      assert.is(get(d, 'spec.template.spec.initContainers.0.securityContext.runAsUser'), undefined);
      assert.is(get(d, 'spec.template.metadata.annotations')?.['sidecar.istio.io/nativeSidecar' as never], 'true');
    }],
  ['Deployment: meshBypass always runs the download as the proxy\'s UID', 'Deployment',
    planOf({ storage: { uri: 's3://b1/x', endpoint: 'minio.storage.svc:9000', tls: false, meshBypass: 'always' } }),
    ([d]) => assert.is(get(d, 'spec.template.spec.initContainers.0.securityContext.runAsUser'), 1337)],
  ['HorizontalPodAutoscaler: only for autoscaled profiles', 'HorizontalPodAutoscaler', planOf({ profiles: { auto: { autoscaling: { maxReplicas: 5 } } }, versions: [{ name: 'v1', modelVersion: 1, profile: 'auto' }] }),
    (o) => assert.equal(o.map((h) => [get(h, 'spec.minReplicas'), get(h, 'spec.maxReplicas')]), [[2, 5]])],
  ['PodDisruptionBudget: the version\'s pods in manual mode', 'PodDisruptionBudget', planOf(), ([b]) => assert.equal([b!.metadata.name, get(b, 'spec.selector.matchLabels')], ['resnet-v1', { app: 'resnet', version: 'v1' }])],
  ['PodDisruptionBudget: Flagger\'s primary pods in flagger mode', 'PodDisruptionBudget', flagger, ([b]) => assert.equal([b!.metadata.name, get(b, 'spec.selector.matchLabels')], ['resnet-primary', { app: 'resnet-primary' }])],
  ['PodDisruptionBudget: none for a single replica', 'PodDisruptionBudget', planOf({ profiles: { default: { replicas: 1 } } }), (o) => assert.is(o.length, 0)],
  ['ServiceEntry: the bucket\'s AWS hosts', 'ServiceEntry', planOf(), ([e]) => assert.equal(get(e, 'spec.hosts'), ['ml-models.s3.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', 's3.amazonaws.com'])],
  ['ServiceEntry: STS for IRSA when S3 is read through the proxy', 'ServiceEntry',
    planOf({ storage: { uri: 's3://b1/x', credentials: { serviceAccount: { roleArn: 'arn:aws:iam::1:role/r' } } }, versions: [{ name: 'v1', modelVersion: 1, image: 'tensorflow/serving:2.6.0' }] }),
    (o) => assert.equal(o.map((e) => [e.metadata.name, get(e, 'spec.hosts')]).at(-1), ['resnet-sts', ['sts.us-east-1.amazonaws.com', 'sts.amazonaws.com']])],
  ['ServiceEntry: no credential endpoint when the download bypasses the proxy', 'ServiceEntry',
    planOf({ storage: { uri: 's3://b1/x', credentials: { serviceAccount: { roleArn: 'arn:aws:iam::1:role/r' } } } }), (o) => assert.equal(o.map((e) => e.metadata.name), ['resnet-s3'])],
  ['ServiceEntry: the instance metadata, by address, for node credentials through the mesh', 'ServiceEntry', planOf({ storage: { uri: 's3://b1/x', meshBypass: 'never' } }),
    (o) => assert.equal([get(o.at(-1), 'spec.addresses'), get(o.at(-1), 'spec.resolution'), get(o.at(-1), 'spec.ports.0.protocol')], [['169.254.169.254'], 'STATIC', 'TCP'])],
  ['ServiceEntry: none for an endpoint inside the cluster', 'ServiceEntry', planOf({ storage: { uri: 's3://b1/x', endpoint: 'minio.storage.svc.cluster.local:9000', tls: false } }), (o) => assert.is(o.length, 0)],
  ['Gateway: HTTPS with a certificate', 'Gateway', planOf({ gateway: { tlsSecret: 'cert', hosts: ['m.example.com'] } }), ([g]) => assert.is(get(g, 'spec.servers.0.port.protocol'), 'HTTPS')],
  ['DestinationRule: a subset per version', 'DestinationRule', manual, ([r]) => assert.equal(get(r, 'spec.subsets'), [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }])],
  ['VirtualService: the weights for mesh callers and at the gateway', 'VirtualService', manual,
    (o) => assert.equal(o.map((v) => [v.metadata.name, get(v, 'spec.gateways'), (get(v, 'spec.http') as Array<{ name: string; route: Array<{ weight: number }> }>).map((r) => [r.name, r.route.map((d) => d.weight)])]), [
      ['resnet', ['mesh'], [['grpc', [90, 10]], ['rest', [90, 10]]]],
      ['resnet-ingress', ['models/resnet-gateway'], [['grpc', [90, 10]], ['rest', [90, 10]]]],
    ])],
  ['VirtualService: the mesh one routes the Service host only', 'VirtualService', manual, ([mesh]) => assert.equal(get(mesh, 'spec.hosts'), ['resnet.models.svc.cluster.local'])],
  ['VirtualService: gRPC matched by content type, REST by the model\'s paths', 'VirtualService', manual,
    ([, gw]) => assert.equal((get(gw, 'spec.http') as Array<{ match: unknown }>).map((r) => r.match), [
      [{ headers: { 'content-type': { prefix: 'application/grpc' } } }],
      [{ uri: { exact: '/v1/models/resnet' } }, { uri: { prefix: '/v1/models/resnet/' } }, { uri: { prefix: '/v1/models/resnet:' } }],
    ])],
  ['VirtualService: a zero weight gets no route', 'VirtualService', planOf({ versions: manual.versions.map((v) => ({ name: v.name, modelVersion: v.modelVersion.value })), traffic: { v1: 100, v2: 0 } }),
    ([v]) => assert.is((get(v, 'spec.http.0.route') as unknown[]).length, 1)],
  ['PeerAuthentication: strict mTLS on every pod of the service', 'PeerAuthentication', planOf(), ([p]) => assert.equal(get(p, 'spec.selector.matchLabels'), { 'app.kubernetes.io/name': 'resnet' })],
  ['PeerAuthentication: none without mTLS', 'PeerAuthentication', planOf({ security: { mtls: false } }), (o) => assert.is(o.length, 0)],
  ['AuthorizationPolicy: the gateway and the callers', 'AuthorizationPolicy', planOf({ security: { callers: ['apps/web'] } }),
    ([a]) => assert.is((get(a, 'spec.rules.0.from.0.source.principals') as string[]).at(-1), 'cluster.local/ns/apps/sa/web')],
  ['MetricTemplate: one per servec query', 'MetricTemplate', flagger, (o) => assert.equal(o.map((m) => m.metadata.name), ['resnet-grpc-success-rate', 'resnet-latency-p99'])],
  ['Canary: bound to the gateway by namespace/name, and to the mesh', 'Canary', flagger, ([c]) => assert.equal(get(c, 'spec.service.gateways'), ['models/resnet-gateway', 'mesh'])],
  ['Canary: with both APIs, routes gRPC only and discovers the REST port', 'Canary', flagger,
    ([c]) => assert.equal([get(c, 'spec.service.portDiscovery'), get(c, 'spec.service.match')], [true, [{ headers: { 'content-type': { prefix: 'application/grpc' } } }]])],
  ['Canary: one API needs neither', 'Canary', restFlagger, ([c]) => assert.equal([get(c, 'spec.service.portDiscovery'), get(c, 'spec.service.match')], [undefined, undefined])],
  ['Canary: targets the one Deployment', 'Canary', flagger, ([c]) => assert.is(get(c, 'spec.targetRef.name'), 'resnet')],
];

for (const [name, kind, plan, expect] of CASES) test(name, () => expect(byKind(kind).emit(plan)));

test('flagger mode: the API Flagger does not route reaches the primary from the gateway, on its container port named tcp-', () => {
  const [vs] = flaggerPrimaryRoute.emit(flagger) as any[];
  assert.equal(vs.spec.http[0].route, [{ destination: { host: 'resnet-primary.models.svc.cluster.local', port: { number: 8501 } } }]);
  assert.equal(vs.spec.http[0].match, [{ withoutHeaders: { 'content-type': { prefix: 'application/grpc' } } }]);
  const [d] = byKind('Deployment').emit(flagger) as any[];
  assert.equal(d.spec.template.spec.containers[0].ports.map((p: any) => p.name), ['grpc', 'tcp-http']);
});

test('flagger mode: servec builds the load test from the spec, and admits the tester', () => {
  const rest = planOf({ rollout: { strategy: 'flagger', flagger: { protocol: 'rest', loadTest: { request: '{"instances": [1]}' } } }, gateway: { hosts: ['resnet.example.com'] }, slo: { successRate: 99 } });
  const [c] = byKind('Canary').emit(rest) as any[];
  assert.is(c.spec.analysis.webhooks[0].metadata.cmd, `hey -z 1m -q 10 -c 2 -m POST -T application/json -d '{"instances": [1]}' http://resnet-canary.models:8501/v1/models/resnet:predict`);
  const grpc = planOf({ rollout: { strategy: 'flagger', flagger: { loadTest: { request: '{"inputs": {}}', protoset: '/p/tfs.protoset' } } }, gateway: { hosts: ['resnet.example.com'] }, slo: { successRate: 99 } });
  const [g] = byKind('Canary').emit(grpc) as any[];
  assert.is(
    g.spec.analysis.webhooks[0].metadata.cmd,
    `ghz -z 1m --insecure --protoset '/p/tfs.protoset' --call tensorflow.serving.PredictionService/Predict -d '{"model_spec":{"name":"resnet"},"inputs":{}}' resnet-canary.models:8500`,
  );
  const [policy] = byKind('AuthorizationPolicy').emit(grpc) as any[];
  assert.ok(policy.spec.rules[0].from[0].source.principals.includes('cluster.local/ns/test/sa/default'));
});

test('flagger mode: the target has no replica count of its own; a fixed HPA holds it, and the Canary names it', () => {
  const [d] = byKind('Deployment').emit(flagger) as any[];
  assert.is(d.spec.replicas, undefined);
  const [h] = byKind('HorizontalPodAutoscaler').emit(flagger) as any[];
  assert.equal([h.spec.minReplicas, h.spec.maxReplicas, h.spec.metrics], [2, 2, undefined]);
  const [c] = byKind('Canary').emit(flagger) as any[];
  assert.equal(c.spec.autoscalerRef, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'resnet' });
});

test('progress deadlines cover the download and the startup budget, which the startup probe enforces', () => {
  const [d] = byKind('Deployment').emit(flagger) as any[];
  const [c] = byKind('Canary').emit(flagger) as any[];
  assert.equal([d.spec.progressDeadlineSeconds, c.spec.progressDeadlineSeconds], [1020, 1020]);
  const fast = planOf({ rollout: { strategy: 'flagger' }, profiles: { default: { startupSeconds: 120 } }, slo: { successRate: 99 } });
  const [f] = byKind('Deployment').emit(fast) as any[];
  assert.equal([f.spec.progressDeadlineSeconds, f.spec.template.spec.containers[0].startupProbe.failureThreshold], [540, 12]);
  const [m] = byKind('Deployment').emit(manual) as any[];
  assert.is(m.spec.progressDeadlineSeconds, 1020);
});

test('every output kind has cases here', () => {
  const tested = new Set(CASES.map(([, kind]) => kind));
  assert.equal(EMITTERS.filter((e) => !tested.has(e.kind)).map((e) => e.kind), []);
});

test('each emitter emits only its own apiVersion and kind', () => {
  for (const plan of [manual, flagger]) {
    for (const e of EMITTERS) for (const o of e.emit(plan)) assert.equal(kindKey(o), kindKey(e), e.kind);
  }
});

test('entries that write the same apiVersion + kind stand together and never both apply', () => {
  const keys = EMITTERS.map(kindKey);
  keys.forEach((key, i) => assert.ok(i === 0 || key === keys[i - 1] || !keys.slice(0, i).includes(key), `${key} is split in EMITTERS`));
  for (const plan of [manual, flagger]) {
    const applied = EMITTERS.filter((e) => applies(e, plan)).map(kindKey);
    assert.is(new Set(applied).size, applied.length);
  }
});

test('a shared gateway (gateway.ref) gets routes but no Gateway of its own', () => {
  const shared = planOf({ gateway: { ref: 'istio-ingress/public', hosts: ['m.example.com'] } });
  assert.is(applies(byKind('Gateway'), shared), false);
  assert.ok(applies(byKind('Gateway'), planOf()));
  assert.equal(emit(shared).filter((o) => o.kind === 'VirtualService').map((o) => get(o, 'spec.gateways')), [['mesh'], ['istio-ingress/public']]);
});

test('the gateway defaults follow the install: Helm by default, the legacy istioctl gateway on request', () => {
  const identity = (plan: ServicePlan) => [plan.gateway.selector, plan.gateway.serviceAccount];
  assert.equal(identity(planOf()), [{ istio: 'ingress' }, 'istio-ingress/istio-ingress']);
  assert.equal(identity(planOf({ gateway: { install: 'istioctl' } })), [{ istio: 'ingressgateway' }, 'istio-system/istio-ingressgateway-service-account']);
  assert.equal(identity(planOf({ gateway: { install: 'istioctl', selector: { app: 'gw' }, serviceAccount: 'gw/gw' } })), [{ app: 'gw' }, 'gw/gw']);
});

test('the registry, not the emitters, says which kinds a traffic mode gets', () => {
  const kinds = (plan: ServicePlan) => EMITTERS.filter((e) => applies(e, plan)).map((e) => e.kind);
  assert.ok(kinds(manual).includes('VirtualService') && !kinds(manual).includes('Canary'));
  assert.ok(kinds(flagger).includes('Canary') && !kinds(flagger).includes('Service') && !kinds(flagger).includes('DestinationRule'));
  // Flagger owns the VirtualService of the API it canaries; servec routes only the other API, to the primary.
  assert.equal(emit(flagger).filter((o) => o.kind === 'VirtualService').map((o) => o.metadata.name), ['resnet-primary-route']);
  assert.ok(emit(restFlagger).every((o) => o.kind !== 'VirtualService'));
});

test.run();
