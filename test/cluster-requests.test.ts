// Exact requests: every call the cluster commands make, with method, path, query (fieldManager,
// force, dryRun, labelSelector, propagationPolicy), content type and body, recorded by the test API
// server. Bodies must be the compiled objects byte for byte (plus the ApplySet label), never
// re-serialised through typed models that drop fields.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../src/compiler/index.js';
import type { Recorded } from './helpers/apiserver.js';
import { fakeCluster, run } from './helpers/cluster.js';

const ID = 'applyset-__Le9ykIIssvv0puoUGFpnCZHxtwkt3TvEBBTdgiAIc-v1';
const SSA = 'application/apply-patch+yaml';
const line = (r: Recorded) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}${r.contentType ? ` ${r.contentType}` : ''}`.replaceAll(encodeURIComponent(ID), 'ID');
const compiled = (step: string) => compile([{ file: step, bytes: readFileSync(`examples/resnet/${step}.yaml`) }]).objects;
const lists = [
  '/apis/security.istio.io/v1/namespaces/models/authorizationpolicies',
  '/api/v1/namespaces/models/configmaps',
  '/apis/apps/v1/namespaces/models/deployments',
  '/apis/networking.istio.io/v1/namespaces/models/destinationrules',
  '/apis/networking.istio.io/v1/namespaces/models/gateways',
  '/apis/security.istio.io/v1/namespaces/models/peerauthentications',
  '/apis/policy/v1/namespaces/models/poddisruptionbudgets',
  '/api/v1/namespaces/models/services',
  '/api/v1/namespaces/models/serviceaccounts',
  '/apis/networking.istio.io/v1/namespaces/models/serviceentries',
  '/apis/networking.istio.io/v1/namespaces/models/virtualservices',
].map((path) => `GET ${path}?labelSelector=applyset.kubernetes.io%2Fpart-of%3DID`);
const discovery = ['GET /api/v1', 'GET /apis/apps/v1', 'GET /apis/policy/v1', 'GET /apis/networking.istio.io/v1', 'GET /apis/security.istio.io/v1'];
const parent = `PATCH /api/v1/namespaces/models/secrets/servec.resnet-serving?fieldManager=servec&force=true ${SSA}`;
const apply = (path: string, query = 'fieldManager=servec&force=false') => `PATCH ${path}?${query} ${SSA}`;

test('apply on an empty cluster: discovery, inventory, workloads, wait, routing, prune listing, inventory', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    const result = await run(['apply', 'examples/resnet/1-v1.yaml'], kubeconfig);
    assert.is(result.code, 0, result.stderr);
    assert.equal(server.requests.map(line), [
      ...discovery,
      'GET /api/v1/namespaces/models/secrets/servec.resnet-serving',
      parent,
      apply('/api/v1/namespaces/models/serviceaccounts/resnet-serving'),
      apply('/api/v1/namespaces/models/configmaps/resnet-serving-v1-config-7aa84b9a81'),
      apply('/api/v1/namespaces/models/services/resnet-serving'),
      apply('/apis/apps/v1/namespaces/models/deployments/resnet-serving-v1'),
      apply('/apis/policy/v1/namespaces/models/poddisruptionbudgets/resnet-serving-v1'),
      apply('/apis/networking.istio.io/v1/namespaces/models/serviceentries/resnet-serving-s3'),
      apply('/apis/networking.istio.io/v1/namespaces/models/gateways/resnet-serving-gateway'),
      apply('/apis/security.istio.io/v1/namespaces/models/peerauthentications/resnet-serving'),
      apply('/apis/security.istio.io/v1/namespaces/models/authorizationpolicies/resnet-serving'),
      'GET /apis/apps/v1/namespaces/models/deployments/resnet-serving-v1',
      'GET /apis/networking.istio.io/v1/namespaces/models/destinationrules/resnet-serving',
      apply('/apis/networking.istio.io/v1/namespaces/models/destinationrules/resnet-serving'),
      apply('/apis/networking.istio.io/v1/namespaces/models/virtualservices/resnet-serving'),
      ...lists,
      parent,
    ]);
    // Bodies: each compiled object exactly, key order included, with only the part-of label added.
    const patches = server.requests.filter((r) => r.method === 'PATCH' && !r.path.includes('/secrets/'));
    for (const object of compiled('1-v1')) {
      const sent = patches.find((r) => r.path.endsWith(`/${object.metadata.name}`) && r.body.kind === object.kind);
      const expected = { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, 'applyset.kubernetes.io/part-of': ID } } };
      assert.is(JSON.stringify(sent?.body), JSON.stringify(expected), `${object.kind} ${object.metadata.name}`);
    }
    const [first, last] = server.requests.filter((r) => line(r) === parent).map((r) => r.body);
    assert.equal(first, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'servec.resnet-serving',
        namespace: 'models',
        labels: { 'applyset.kubernetes.io/id': ID, 'app.kubernetes.io/managed-by': 'servec' },
        annotations: {
          'applyset.kubernetes.io/tooling': 'servec/v0.1.0',
          'applyset.kubernetes.io/contains-group-kinds':
            'AuthorizationPolicy.security.istio.io,ConfigMap,Deployment.apps,DestinationRule.networking.istio.io,Gateway.networking.istio.io,PeerAuthentication.security.istio.io,PodDisruptionBudget.policy,Service,ServiceAccount,ServiceEntry.networking.istio.io,VirtualService.networking.istio.io',
          'applyset.kubernetes.io/additional-namespaces': '',
        },
      },
      type: 'Opaque',
    });
    assert.equal(last, first);
  } finally {
    await server.stop();
  }
});

test('apply --dry-run: dryRun=All on every apply and delete, no inventory write', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    const before = server.objects();
    const from = server.requests.length;
    const result = await run(['apply', 'examples/resnet/3-promoted.yaml', '--dry-run'], kubeconfig);
    assert.is(result.code, 0, result.stderr);
    const sent = server.requests.slice(from).map(line);
    assert.ok(sent.every((l) => !l.startsWith('PATCH') || l.includes('dryRun=All')), 'every PATCH is a dry run');
    assert.ok(!sent.includes(parent.replace('force=true', 'force=true&dryRun=All')) && !sent.includes(parent), 'the inventory is not written');
    assert.equal(
      sent.filter((l) => l.startsWith('DELETE')),
      [
        'DELETE /api/v1/namespaces/models/configmaps/resnet-serving-v1-config-7aa84b9a81?propagationPolicy=Background&dryRun=All',
        'DELETE /apis/apps/v1/namespaces/models/deployments/resnet-serving-v1?propagationPolicy=Background&dryRun=All',
        'DELETE /apis/policy/v1/namespaces/models/poddisruptionbudgets/resnet-serving-v1?propagationPolicy=Background&dryRun=All',
      ],
    );
    assert.match(result.stdout, /Deployment models\/resnet-serving-v1 pruned \(server dry run\)/);
    assert.match(result.stdout, /VirtualService models\/resnet-serving configured \(server dry run\)/);
    assert.equal(server.objects().map((o) => o.metadata.resourceVersion), before.map((o) => o.metadata.resourceVersion), 'nothing changed');
  } finally {
    await server.stop();
  }
});

test('apply prunes with background propagation, routing first moved off the old version', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    const from = server.requests.length;
    assert.is((await run(['apply', 'examples/resnet/3-promoted.yaml'], kubeconfig)).code, 0);
    const sent = server.requests.slice(from).map(line);
    const vs = sent.indexOf(apply('/apis/networking.istio.io/v1/namespaces/models/virtualservices/resnet-serving'));
    const rules = sent.map((l, i) => [l, i] as const).filter(([l]) => l === apply('/apis/networking.istio.io/v1/namespaces/models/destinationrules/resnet-serving'));
    // The rule goes out twice: with subset v1 kept while the live route still uses it, then as compiled.
    assert.is(rules.length, 2);
    assert.ok(rules[0]![1] < vs && vs < rules[1]![1]);
    const bodies = server.requests.slice(from).filter((r) => r.path.endsWith('/destinationrules/resnet-serving') && r.method === 'PATCH');
    assert.equal(bodies.map((r) => r.body.spec.subsets.map((s: { name: string }) => s.name)), [['v2', 'v1'], ['v2']]);
    const deletes = sent.filter((l) => l.startsWith('DELETE'));
    assert.equal(deletes, [
      'DELETE /api/v1/namespaces/models/configmaps/resnet-serving-v1-config-7aa84b9a81?propagationPolicy=Background',
      'DELETE /apis/apps/v1/namespaces/models/deployments/resnet-serving-v1?propagationPolicy=Background',
      'DELETE /apis/policy/v1/namespaces/models/poddisruptionbudgets/resnet-serving-v1?propagationPolicy=Background',
    ]);
    assert.ok(sent.indexOf(deletes[0]!) > rules[1]![1], 'deletes come after every apply');
  } finally {
    await server.stop();
  }
});

test('diff: a dry-run apply per object against a GET, exit 1 with differences and 0 without', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/1-v1.yaml'], kubeconfig)).code, 0);
    let from = server.requests.length;
    const same = await run(['diff', 'examples/resnet/1-v1.yaml'], kubeconfig);
    assert.is(same.code, 0, same.stdout + same.stderr);
    assert.is(same.stdout, '');
    const sent = server.requests.slice(from).map(line);
    assert.equal(sent.slice(0, 7), [
      ...discovery,
      'GET /api/v1/namespaces/models/serviceaccounts/resnet-serving',
      apply('/api/v1/namespaces/models/serviceaccounts/resnet-serving', 'fieldManager=servec&force=false&dryRun=All'),
    ]);
    assert.ok(sent.every((l) => !l.startsWith('PATCH') || l.includes('dryRun=All')) && !sent.some((l) => l.startsWith('DELETE')));
    from = server.requests.length;
    const changed = await run(['diff', 'examples/resnet/3-promoted.yaml'], kubeconfig);
    assert.is(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^--- live\/VirtualService\/models\/resnet-serving\n\+\+\+ servec\/VirtualService\/models\/resnet-serving\n/m);
    assert.match(changed.stdout, /^-\s+subset: v1$/m);
    assert.match(changed.stdout, /^--- live\/Deployment\/models\/resnet-serving-v1\n\+\+\+ servec\/Deployment\/models\/resnet-serving-v1\n@@ -1,\d+ \+0,0 @@/m);
    assert.not.match(changed.stdout, /managedFields|resourceVersion|creationTimestamp|uid:/);
  } finally {
    await server.stop();
  }
});

test('status: one GET per object it reads, nothing written', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    const from = server.requests.length;
    const result = await run(['status', 'examples/resnet/2-canary.yaml'], kubeconfig);
    assert.is(result.code, 0, result.stdout);
    assert.equal(server.requests.slice(from).map(line), [
      'GET /apis/networking.istio.io/v1',
      'GET /apis/networking.istio.io/v1/namespaces/models/virtualservices/resnet-serving',
      'GET /apis/apps/v1',
      'GET /apis/apps/v1/namespaces/models/deployments/resnet-serving-v1',
      'GET /apis/apps/v1/namespaces/models/deployments/resnet-serving-v2',
    ]);
    assert.match(result.stdout, /v1\s+resnet-serving-v1\s+70\/70\s+2\/2\s+loaded/);
    assert.match(result.stdout, /v2\s+resnet-serving-v2\s+30\/30\s+2\/2\s+loaded/);
  } finally {
    await server.stop();
  }
});

test.run();
