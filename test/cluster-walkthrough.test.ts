// The article's walkthrough, 1-v1 → 2-canary → 3-promoted → 4-flagger, applied with `servec apply`
// against the test API server (test/helpers/apiserver.ts), which also plays the Deployment
// controller and Flagger. It must end with exactly step 4's objects live, plus the ApplySet parent
// and what Flagger creates or adopts, and no route may ever point at a host without a ready endpoint.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../src/compiler/index.js';
import { fakeCluster, run } from './helpers/cluster.js';

const steps = ['1-v1', '2-canary', '3-promoted', '4-flagger'];
const compiled = (step: string) => compile([{ file: step, bytes: readFileSync(`examples/resnet/${step}.yaml`) }]).objects;
const names = (step: string) => compiled(step).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);

test('1 → 2 → 3 → 4 ends with step 4 live, Flagger in charge, and no moment without a ready endpoint', async () => {
  const { server, kubeconfig } = await fakeCluster({ flagger: true, readyAfterMs: 40 });
  try {
    for (const step of steps) {
      const result = await run(['apply', `examples/resnet/${step}.yaml`, '--wait', '--timeout', '20s'], kubeconfig);
      assert.is(result.code, 0, `${step}: ${result.stderr}`);
      if (step !== '4-flagger') assert.equal(server.names().filter((n) => !n.startsWith('Secret ')), [...names(step)].sort(), `${step}: live objects`);
    }
    const flagger = [
      'Deployment models/resnet-serving-primary',
      'DestinationRule models/resnet-serving-canary',
      'DestinationRule models/resnet-serving-primary',
      'Service models/resnet-serving', // adopted from step 3
      'Service models/resnet-serving-canary',
      'Service models/resnet-serving-primary',
      'VirtualService models/resnet-serving', // adopted from step 3
    ];
    assert.equal(server.names(), [...names('4-flagger'), ...flagger, 'Secret models/servec.resnet-serving'].sort());
    assert.equal(server.violations, []);
    assert.is(server.find('Canary', 'models', 'resnet-serving')?.status.phase, 'Initialized');
    // The inventory kubectl reads: the parent lists exactly the kinds still emitted or kept.
    const parent = server.find('Secret', 'models', 'servec.resnet-serving')!;
    assert.is(parent.metadata.labels['applyset.kubernetes.io/id'], 'applyset-__Le9ykIIssvv0puoUGFpnCZHxtwkt3TvEBBTdgiAIc-v1');
    assert.is(
      parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'],
      'AuthorizationPolicy.security.istio.io,Canary.flagger.app,ConfigMap,Deployment.apps,Gateway.networking.istio.io,HorizontalPodAutoscaler.autoscaling,MetricTemplate.flagger.app,PeerAuthentication.security.istio.io,PodDisruptionBudget.policy,Service,ServiceAccount,ServiceEntry.networking.istio.io,VirtualService.networking.istio.io',
    );
    const status = await run(['status', 'examples/resnet/4-flagger.yaml', '-o', 'json'], kubeconfig);
    assert.is(status.code, 0, status.stdout + status.stderr);
    const spec = JSON.parse(status.stdout).specs[0];
    assert.is(spec.canary.phase, 'Initialized');
    // Flagger's route binds the caller classes its Canary lists: the gateway and the mesh.
    assert.equal(spec.versions.map((v: { version: string; liveWeight: object }) => [v.version, v.liveWeight]), [
      ['primary', { mesh: 100, gateway: 100 }],
      ['canary', { mesh: 0, gateway: 0 }],
    ]);
  } finally {
    await server.stop();
  }
});

test('3 → 2 → 3: a version comes back and goes again; the old ConfigMaps never pile up', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 10 });
  try {
    for (const step of ['3-promoted', '2-canary', '3-promoted']) {
      const result = await run(['apply', `examples/resnet/${step}.yaml`], kubeconfig);
      assert.is(result.code, 0, `${step}: ${result.stderr}`);
      assert.equal(server.names().filter((n) => !n.startsWith('Secret ')), [...names(step)].sort(), step);
    }
    assert.equal(server.violations, []);
  } finally {
    await server.stop();
  }
});

test('an interrupted handover prunes nothing and finishes on the next run', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 10 });
  try {
    assert.is((await run(['apply', 'examples/resnet/3-promoted.yaml', '--wait'], kubeconfig)).code, 0);
    // Flagger is not running yet: the Canary never reports Initialized. The timeout leaves the new
    // target time to get ready on a loaded machine, so the handover's first phase always runs.
    const first = await run(['apply', 'examples/resnet/4-flagger.yaml', '--timeout', '2s'], kubeconfig);
    assert.is(first.code, 8, first.stderr);
    assert.match(first.stderr, /nothing was deleted/);
    assert.ok(server.names().includes('Deployment models/resnet-serving-v2'), 'the old version still serves');
    assert.ok(!server.requests.some((r) => r.method === 'DELETE'), 'no DELETE was sent');
    // Phase one of the handover: the route goes to the Service without subsets, then the Canary.
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    const route = patches.map((r) => r.path.endsWith('/virtualservices/resnet-serving')).lastIndexOf(true);
    const canary = patches.findIndex((r) => r.path.endsWith('/canaries/resnet-serving'));
    assert.ok(route >= 0 && canary > route, `the transitional route is applied before the Canary\n${first.stderr}`);
    assert.equal(
      patches[route]!.body.spec.http.map((h: { route: unknown[] }) => h.route),
      [
        [{ destination: { host: 'resnet-serving.models.svc.cluster.local', port: { number: 9000 } } }],
        [{ destination: { host: 'resnet-serving.models.svc.cluster.local', port: { number: 9001 } } }],
      ],
    );
    // The gateway route too: Flagger adopts only the route named like the apex, but the Service it
    // points at its primary is the one both routes send to.
    const ingress = patches.map((r) => r.path.endsWith('/virtualservices/resnet-serving-ingress')).lastIndexOf(true);
    assert.ok(ingress >= 0 && canary > ingress, `the transitional gateway route is applied before the Canary\n${first.stderr}`);
    assert.ok(
      patches[ingress]!.body.spec.http.every((h: { route: { destination: { subset?: string } }[] }) => h.route.every((r) => r.destination.subset === undefined)),
      'the gateway route names no subset',
    );
    assert.ok(server.names().includes('VirtualService models/resnet-serving-ingress'), 'kept until the Canary is Initialized');
    server.options.flagger = true;
    const second = await run(['apply', 'examples/resnet/4-flagger.yaml', '--timeout', '20s'], kubeconfig);
    assert.is(second.code, 0, second.stderr);
    assert.match(second.stdout, /Deployment models\/resnet-serving-v2 pruned/, second.stderr);
    assert.ok(!server.names().includes('DestinationRule models/resnet-serving'));
    assert.match(second.stdout, /VirtualService models\/resnet-serving-ingress pruned/);
    assert.equal(server.violations, []);
  } finally {
    await server.stop();
  }
});

test("a route of servec's to Flagger's primary goes out only once the Canary is Initialized", async () => {
  // Flagger routes one port per Canary; the other API reaches NAME-primary through a route of servec's
  // (NAME-primary-route), a Service that exists (and has ready pods) only after Flagger's first deploy.
  const { server, kubeconfig } = await fakeCluster({ flagger: true, readyAfterMs: 40 });
  try {
    assert.is((await run(['apply', 'examples/resnet/3-promoted.yaml', '--wait'], kubeconfig)).code, 0);
    assert.ok(names('4-flagger').includes('VirtualService models/resnet-serving-primary-route'), 'step 4 routes the other API to the primary');
    const applied = await run(['apply', 'examples/resnet/4-flagger.yaml', '--timeout', '20s'], kubeconfig);
    assert.is(applied.code, 0, applied.stderr);
    const patches = server.requests.filter((r) => r.method === 'PATCH').map((r) => r.path);
    const canaryAt = patches.findIndex((p) => p.endsWith('/canaries/resnet-serving'));
    const routeAt = patches.findIndex((p) => p.endsWith('/virtualservices/resnet-serving-primary-route'));
    assert.ok(canaryAt >= 0 && routeAt > canaryAt, 'after the Canary');
    assert.match(applied.stderr, /applying VirtualService models\/resnet-serving-primary-route waits for Initialized/);
    assert.ok(server.names().includes('VirtualService models/resnet-serving-primary-route'));
    assert.ok(!server.names().includes('VirtualService models/resnet-serving-ingress'), 'the manual gateway route is pruned');
    assert.equal(server.violations, []);
  } finally {
    await server.stop();
  }
});

test('once Flagger scaled the target to 0, re-applying step 4 leaves spec.replicas to Flagger', async () => {
  // Flagger owns spec.replicas of its target after the first deploy: sending the compiled replicas
  // would be a 409 with manager flagger, or, forced, would scale the target back up (fluxcd/flagger#570).
  const { server, kubeconfig } = await fakeCluster({ flagger: true, readyAfterMs: 10 });
  try {
    assert.is((await run(['apply', 'examples/resnet/4-flagger.yaml', '--wait', '--timeout', '20s'], kubeconfig)).code, 0);
    const again = await run(['apply', 'examples/resnet/4-flagger.yaml'], kubeconfig);
    assert.is(again.code, 0, again.stderr);
    assert.is(server.find('Deployment', 'models', 'resnet-serving')?.spec.replicas, 0);
    // The compiled target has no spec.replicas at all (its HPA holds the count), so no apply sends one.
    const sent = server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/resnet-serving')).map((r) => r.body.spec.replicas);
    assert.equal(sent, [undefined, undefined]);
  } finally {
    await server.stop();
  }
});

test('a directory of specs: one inventory per spec; after apply, diff is empty and status healthy', async () => {
  const { server, kubeconfig } = await fakeCluster({ flagger: true, readyAfterMs: 10 });
  try {
    const applied = await run(['apply', 'examples/fleet', '--wait', '--timeout', '20s'], kubeconfig);
    assert.is(applied.code, 0, applied.stderr);
    assert.equal(
      server.names().filter((n) => n.startsWith('Secret ')),
      ['Secret recs/servec.recommender-cart', 'Secret recs/servec.recommender-home', 'Secret risk/servec.fraud-score'],
    );
    const diff = await run(['diff', 'examples/fleet'], kubeconfig);
    assert.is(diff.code, 0, diff.stdout + diff.stderr);
    const status = await run(['status', 'examples/fleet'], kubeconfig);
    assert.is(status.code, 0, status.stdout);
    assert.equal(server.violations, []);
  } finally {
    await server.stop();
  }
});

test.run();
