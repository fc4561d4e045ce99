/** The behaviour model itself, on tiny hand-written object sets: each rule it applies, and refusals. */
import { test } from 'uvu';
import { routeMatches } from '../src/behaviour/match.js';
import * as assert from 'uvu/assert';
import { answered, behaviour, call, DEFAULT_CLUSTER, formatBehaviour, HELM_GATEWAY, LEGACY_GATEWAY, loadTestTarget, prepare, refusals, type Caller, type Cluster, type KObject } from '../src/behaviour/index.js';

const ns = 'models';
const meta = (name: string, labels?: Record<string, string>) => ({ name, namespace: ns, ...(labels && { labels }) });

function deployment(name: string, labels: Record<string, string>, replicas: number, opts: { modelVersion?: number; inject?: boolean; image?: string } = {}): KObject[] {
  const config = `${name}-config`;
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(config), data: { 'models.config': `model_config_list { config { model_version_policy { specific { versions: ${opts.modelVersion ?? 1} } } } }` } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        replicas,
        selector: { matchLabels: { app: labels.app } },
        template: {
          metadata: { labels: { ...labels, ...(opts.inject && { 'sidecar.istio.io/inject': 'true' }) } },
          spec: {
            containers: [
              {
                name: 'tensorflow-serving',
                image: opts.image ?? 'tensorflow/serving:2.20.0',
                command: ['tensorflow_model_server'],
                args: ['--port=8500', '--rest_api_port=8501'],
                ports: [
                  { name: 'grpc', containerPort: 8500 },
                  { name: 'http', containerPort: 8501 },
                ],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: config } }],
          },
        },
      },
    },
  ];
}

const service = (name: string, selector: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name, { 'app.kubernetes.io/name': name }),
  spec: { selector, ports: [{ name: 'grpc', port: 8500, targetPort: 'grpc' }, { name: 'http', port: 8501, targetPort: 'http' }] },
});

const subsets = (tls?: string): KObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: meta('m'),
  spec: { host: 'm.models.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }], ...(tls && { trafficPolicy: { tls: { mode: tls } } }) },
});

const split = (gateways: string[] | undefined, match?: unknown[]): KObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: meta('m'),
  spec: {
    hosts: gateways ? ['*'] : ['m'],
    ...(gateways && { gateways }),
    http: [
      {
        ...(match && { match }),
        route: [
          { destination: { host: 'm', subset: 'v1', port: { number: 8500 } }, weight: 7 },
          { destination: { host: 'm', subset: 'v2', port: { number: 8500 } }, weight: 3 },
        ],
      },
      { route: [{ destination: { host: 'm', subset: 'v1', port: { number: 8501 } } }] },
    ],
  },
});

const gateway = (selector: Record<string, string>): KObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: meta('gw', { 'app.kubernetes.io/name': 'm' }),
  spec: { selector, servers: [{ hosts: ['*'], port: { name: 'http2', number: 80, protocol: 'HTTP2' } }] },
});

const twoVersions = (inject = true) => [
  ...deployment('m-v1', { app: 'm', version: 'v1' }, 3, { modelVersion: 1, inject }),
  ...deployment('m-v2', { app: 'm', version: 'v2' }, 1, { modelVersion: 2, inject }),
  service('m', { app: 'm' }),
];

const cluster: Cluster = { ...DEFAULT_CLUSTER, gateway: LEGACY_GATEWAY };
const mesh = (protocol: 'grpc' | 'rest' = 'grpc', identity = 'apps/client', extra: Partial<Extract<Caller, { kind: 'mesh' }>> = {}): Caller => ({
  kind: 'mesh',
  identity,
  host: 'm.models',
  port: protocol === 'grpc' ? 8500 : 8501,
  protocol,
  ...extra,
});
const fromGateway = (protocol: 'grpc' | 'rest' = 'grpc', path?: string): Caller => ({ kind: 'gateway', host: 'm.example.com', port: 80, protocol, ...(path && { path }) });
const run = (objects: KObject[], caller: Caller, c: Cluster = cluster) => call(prepare(objects, c), caller);

test('without a VirtualService for mesh callers, every ready pod the Service selects shares the load by replica count', () => {
  assert.equal(answered(run(twoVersions(), mesh())), { 'm-v1': 75, 'm-v2': 25 });
});

test('a VirtualService without gateways applies to mesh callers; weights are relative', () => {
  assert.equal(answered(run([...twoVersions(), subsets(), split(undefined)], mesh())), { 'm-v1': 70, 'm-v2': 30 });
});

test('a VirtualService bound to a Gateway alone does not apply to mesh callers, and applies at that gateway', () => {
  const objects = [...twoVersions(), subsets(), split(['gw']), gateway({ istio: 'ingressgateway' })];
  assert.equal(answered(run(objects, mesh())), { 'm-v1': 75, 'm-v2': 25 });
  assert.equal(answered(run(objects, fromGateway())), { 'm-v1': 70, 'm-v2': 30 });
});

test('answers carry the model version from models.config and the image', () => {
  const result = run([...deployment('m-v1', { app: 'm', version: 'v1' }, 1, { modelVersion: 7, inject: true, image: 'img:1' }), service('m', { app: 'm' })], mesh());
  assert.equal(result.shares, [{ percent: 100, deployment: 'm-v1', namespace: ns, modelVersions: [7], image: 'img:1' }]);
});

test('a Gateway whose selector misses the installed gateway pods binds nothing', () => {
  const objects = [...twoVersions(), subsets(), split(['gw']), gateway({ istio: 'ingressgateway' })];
  assert.equal(refusals(run(objects, fromGateway(), { ...cluster, gateway: HELM_GATEWAY }))[0]?.code, 'no-gateway-server');
});

test('gRPC matched by URI prefix sends a gRPC health check to the REST port; matched by content type it reaches gRPC', () => {
  const byPrefix = [...twoVersions(), subsets(), split(['gw'], [{ uri: { prefix: '/tensorflow.serving.' } }]), gateway({ istio: 'ingressgateway' })];
  assert.equal(refusals(run(byPrefix, fromGateway('grpc', '/grpc.health.v1.Health/Check')))[0]?.code, 'wrong-protocol');
  assert.equal(answered(run(byPrefix, fromGateway('grpc'))), { 'm-v1': 70, 'm-v2': 30 });
  const byHeader = [...twoVersions(), subsets(), split(['gw'], [{ headers: { 'content-type': { prefix: 'application/grpc' } } }]), gateway({ istio: 'ingressgateway' })];
  assert.equal(answered(run(byHeader, fromGateway('grpc', '/grpc.health.v1.Health/Check'))), { 'm-v1': 70, 'm-v2': 30 });
  assert.equal(answered(run(byHeader, fromGateway('rest'))), { 'm-v1': 100 });
});

test("a Gateway server port the standard gateway Service does not expose is unreachable", () => {
  const objects = [...twoVersions(), subsets(), split(['gw']), gateway({ istio: 'ingressgateway' })];
  assert.equal(refusals(run(objects, { ...fromGateway(), port: 31400 })).map((r) => r.code), ['no-gateway-server']);
  assert.equal(answered(run(objects, fromGateway(), { ...cluster, gateway: { ...LEGACY_GATEWAY, servicePorts: undefined } })), { 'm-v1': 70, 'm-v2': 30 });
});

test('a port the Service does not carry is refused', () => {
  assert.equal(refusals(run(twoVersions(), { ...mesh(), port: 9999 }))[0]?.code, 'port-not-on-service');
});

const allow = (...principals: string[]): KObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: meta('m'),
  spec: { action: 'ALLOW', selector: { matchLabels: { app: 'm' } }, rules: [{ from: [{ source: { principals } }] }] },
});

test('an AuthorizationPolicy admits its principals only: others get gRPC 7 / HTTP 403', () => {
  const objects = [...twoVersions(), allow('cluster.local/ns/apps/sa/client')];
  assert.equal(refusals(run(objects, mesh())), []);
  const denied = refusals(run(objects, mesh('grpc', 'apps/other')));
  assert.equal(denied.map((r) => [r.code, r.grpcStatus, r.httpStatus]), [['denied', 7, 403], ['denied', 7, 403]]);
});

test('authorization means nothing on a pod without sidecar', () => {
  assert.equal(answered(run([...twoVersions(false), allow('cluster.local/ns/apps/sa/client')], mesh('grpc', 'apps/other'))), { 'm-v1': 75, 'm-v2': 25 });
});

test('STRICT mTLS refuses a caller without sidecar; ISTIO_MUTUAL toward a pod without sidecar is a 503', () => {
  const strict: KObject = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('m'), spec: { mtls: { mode: 'STRICT' }, selector: { matchLabels: { app: 'm' } } } };
  assert.equal(refusals(run([...twoVersions(), strict], mesh('grpc', 'apps/client', { sidecar: false })))[0]?.code, 'plaintext-to-strict');
  const plain = [...twoVersions(false), subsets('ISTIO_MUTUAL'), split(undefined)];
  const refused = refusals(run(plain, mesh()));
  assert.equal(refused.map((r) => [r.code, r.httpStatus]), [['mtls-to-plaintext', 503], ['mtls-to-plaintext', 503]]);
  assert.equal(answered(run(plain, mesh(), { ...cluster, injectedNamespaces: [ns] })), { 'm-v1': 70, 'm-v2': 30 });
});

test('a subset with no ready pod answers nobody', () => {
  const objects = [...deployment('m-v1', { app: 'm', version: 'v1' }, 2, { inject: true }), service('m', { app: 'm' }), subsets(), split(undefined)];
  const result = run(objects, mesh());
  assert.equal(answered(result), { 'm-v1': 70 });
  assert.equal(refusals(result).map((r) => [r.code, r.percent]), [['no-endpoints', 30]]);
});

const canary = (gateways: string[]): KObject => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: meta('m', { 'app.kubernetes.io/name': 'm' }),
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'm' },
    service: { name: 'm', port: 8500, targetPort: 8500, portName: 'grpc', gateways, hosts: ['m.example.com'] },
    analysis: { stepWeight: 20, webhooks: [{ name: 'load-test', metadata: { cmd: 'ghz --insecure m-canary.models:8500' } }] },
  },
});

test('Flagger: 100% primary at rest; the step split during analysis, for mesh callers only when mesh is listed', () => {
  const target = deployment('m', { app: 'm' }, 2, { inject: true });
  const meshListed = [...target, canary(['models/gw', 'mesh']), gateway({ istio: 'ingressgateway' })];
  assert.equal(answered(run(meshListed, mesh())), { 'm-primary': 100 });
  assert.equal(answered(run(meshListed, mesh(), { ...cluster, canaryWeight: 20 })), { m: 20, 'm-primary': 80 });
  assert.equal(answered(run(meshListed, fromGateway(), { ...cluster, canaryWeight: 20 })), { m: 20, 'm-primary': 80 });
  const gatewayOnly = [...target, canary(['models/gw']), gateway({ istio: 'ingressgateway' })];
  assert.equal(answered(run(gatewayOnly, mesh(), { ...cluster, canaryWeight: 20 })), { 'm-primary': 100 });
  assert.equal(answered(run(gatewayOnly, fromGateway(), { ...cluster, canaryWeight: 20 })), { m: 20, 'm-primary': 80 });
  // One port per Canary: REST is not on Flagger's Services, and REST from the gateway reaches gRPC.
  assert.equal(refusals(run(gatewayOnly, mesh('rest')))[0]?.code, 'port-not-on-service');
  assert.equal(refusals(run(gatewayOnly, fromGateway('rest')))[0]?.code, 'wrong-protocol');
});

test('a Service port named tcp-… gets no HTTP routes: the connection goes to the Service\'s own endpoints', () => {
  const grpcOnly: KObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta('m'),
    spec: { hosts: ['m'], http: [{ match: [{ headers: { 'content-type': { prefix: 'application/grpc' } } }], route: [{ destination: { host: 'm', port: { number: 8500 } } }] }] },
  };
  const objects = [...deployment('m', { app: 'm' }, 2, { inject: true }), service('m', { app: 'm' }), grpcOnly];
  // REST on an HTTP port: the VirtualService's only route wants gRPC, so there is no route.
  assert.equal(refusals(run(objects, mesh('rest')))[0]?.code, 'no-route');
  (objects[2] as any).spec.ports[1].name = 'tcp-http';
  assert.equal(answered(run(objects, mesh('rest'))), { m: 100 });
});

test('withoutHeaders matches the requests that lack the header value', () => {
  const notGrpc = { match: [{ withoutHeaders: { 'content-type': { prefix: 'application/grpc' } } }] };
  assert.equal(routeMatches(notGrpc, mesh('grpc')), false);
  assert.equal(routeMatches(notGrpc, mesh('rest')), true);
});

test('Flagger with both APIs: gateway and mesh listed, portDiscovery, a match per API, and servec\'s own route for the other API', () => {
  const target = deployment('m', { app: 'm' }, 2, { inject: true });
  (target[1] as any).spec.template.spec.containers[0].ports[1].name = 'tcp-http';
  const c = canary(['models/gw', 'mesh']) as any;
  c.spec.service.portDiscovery = true;
  c.spec.service.match = [{ headers: { 'content-type': { prefix: 'application/grpc' } } }];
  const restRoute: KObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta('m-primary-route'),
    spec: {
      hosts: ['m.example.com'],
      gateways: ['models/gw'],
      http: [{ match: [{ withoutHeaders: { 'content-type': { prefix: 'application/grpc' } } }], route: [{ destination: { host: 'm-primary', port: { number: 8501 } } }] }],
    },
  };
  const objects = [...target, c, gateway({ istio: 'ingressgateway' }), restRoute];
  const during = { ...cluster, canaryWeight: 20 };
  assert.equal(answered(run(objects, fromGateway('grpc'), during)), { m: 20, 'm-primary': 80 });
  assert.equal(answered(run(objects, mesh('grpc'), during)), { m: 20, 'm-primary': 80 });
  assert.equal(answered(run(objects, fromGateway('rest'), during)), { 'm-primary': 100 });
  assert.equal(answered(run(objects, mesh('rest'), during)), { 'm-primary': 100 });
  assert.equal(answered(run(objects, { kind: 'mesh', identity: 'test/default', host: 'm-canary.models', port: 8501, protocol: 'rest' }, during)), { m: 100 });
});

test('a destination without a port takes the Service\'s only port, else the listener port: from a gateway on 80, nothing (Istio GetDestinationCluster)', () => {
  const target = deployment('m', { app: 'm' }, 2, { inject: true });
  const c = canary(['mesh', 'models/gw']) as any; // mesh first: Flagger does not pin the port
  c.spec.service.portDiscovery = true;
  const objects = [...target, c, gateway({ istio: 'ingressgateway' })];
  assert.equal(refusals(run(objects, fromGateway('grpc')))[0]?.code, 'port-not-on-service');
  assert.equal(answered(run(objects, mesh('rest'), { ...cluster, canaryWeight: 20 })), { m: 20, 'm-primary': 80 });
  c.spec.service.portDiscovery = false; // one port on Flagger's Services: every destination takes it
  assert.equal(answered(run(objects, fromGateway('grpc'))), { 'm-primary': 100 });
});

test('Flagger: no gateways listed means mesh', () => {
  const objects = [...deployment('m', { app: 'm' }, 1, { inject: true }), canary([])];
  assert.equal(answered(run(objects, mesh(), { ...cluster, canaryWeight: 50 })), { m: 50, 'm-primary': 50 });
});

test('behaviour() lists every caller class of a Service, including the load tester, and prints one line per call', () => {
  const objects = [...deployment('m', { app: 'm' }, 1, { inject: true }), canary(['models/gw']), gateway({ istio: 'ingressgateway' }), allow('cluster.local/ns/test/sa/default')];
  const result = behaviour(objects, { ...cluster, canaryWeight: 10 });
  assert.equal(result.map((b) => [b.service, b.mode]), [['models/m', 'flagger']]);
  const tester = result[0]!.calls.find((c) => c.caller.kind === 'mesh' && c.caller.identity === 'test/default');
  assert.equal(tester && answered(tester), { m: 100 });
  const text = formatBehaviour(result);
  assert.match(text, 'models/m (flagger)');
  assert.match(text, 'mesh test/default grpc m-canary.models:8500 → 100% m [canary]');
  assert.match(text, 'refused denied');
  assert.equal(behaviour(objects, { ...cluster, canaryWeight: 10 }), result, 'deterministic and comparable');
});

test('the load tester calls the host:port its ghz or hey command names', () => {
  const hook = (cmd: string) => ({ spec: { analysis: { webhooks: [{ metadata: { cmd } }] } } });
  assert.equal(loadTestTarget(hook('ghz -z 1m --insecure --call a.B/C m-canary.models:9000')), { host: 'm-canary.models', port: 9000, protocol: 'grpc' });
  assert.equal(loadTestTarget(hook('hey -z 1m http://m-canary.models:8501/v1/models/m')), { host: 'm-canary.models', port: 8501, protocol: 'rest' });
  assert.equal(loadTestTarget(hook('echo hi')), undefined);
});

test("a Gateway on Istio's Helm install labels, with its identity allowed, is answered there", () => {
  const objects = [...twoVersions(), subsets(), split(['gw']), gateway({ istio: 'ingress' }), allow('cluster.local/ns/istio-ingress/sa/istio-ingress')];
  const helm = { ...cluster, gateway: HELM_GATEWAY };
  assert.equal(answered(run(objects, fromGateway(), helm)), { 'm-v1': 70, 'm-v2': 30 });
  assert.equal(refusals(run(objects, fromGateway())).map((r) => r.code), ['no-gateway-server']);
});

test.run();
