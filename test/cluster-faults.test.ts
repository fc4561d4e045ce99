// Bad input and faults: each one a message that names what is missing and what was already applied,
// a documented exit status (docs/cluster.md), no stack trace, and nothing deleted unless everything
// it depends on was applied.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeCluster, run, type Ran } from './helpers/cluster.js';

function clean(result: Ran, what: string) {
  assert.not.match(result.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `${what}: stack trace`);
  assert.not.match(result.stderr, /internal error/, `${what}: internal error`);
}

test('unreachable cluster: exit 3, names the server', async () => {
  const { server, kubeconfig } = await fakeCluster();
  await server.stop(); // the port is now closed
  for (const command of ['apply', 'diff', 'status']) {
    const result = await run([command, 'examples/resnet/1-v1.yaml'], kubeconfig);
    assert.is(result.code, 3, `${command}: ${result.stderr}`);
    assert.match(result.stderr, /cannot reach the API server at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    clean(result, command);
  }
});

test('no kubeconfig: exit 3 with what to set', async () => {
  const result = await run(['apply', 'examples/resnet/1-v1.yaml'], join(tmpdir(), 'servec-no-such-kubeconfig'));
  assert.is(result.code, 3);
  assert.match(result.stderr, /cannot read the kubeconfig/);
  assert.match(result.stderr, /hint: set KUBECONFIG/);
});

test('expired credentials (401) and missing rights (403): exit 4, nothing written', async () => {
  const { server, kubeconfig } = await fakeCluster({ token: 'fresh' }, 'expired');
  try {
    const result = await run(['apply', 'examples/resnet/1-v1.yaml'], kubeconfig);
    assert.is(result.code, 4, result.stderr);
    assert.match(result.stderr, /refused the credentials \(401 Unauthorized\)/);
    assert.match(result.stderr, /log in again/);
    clean(result, '401');
  } finally {
    await server.stop();
  }
  const forbidden = await fakeCluster({ forbidden: ['/apis/apps/v1/namespaces/models/deployments'] });
  try {
    const result = await run(['apply', 'examples/resnet/1-v1.yaml'], forbidden.kubeconfig);
    assert.is(result.code, 4, result.stderr);
    assert.match(result.stderr, /applying Deployment models\/resnet-serving-v1: forbidden \(403\)/);
    assert.match(result.stderr, /applied \(3\): ServiceAccount models\/resnet-serving, ConfigMap models\/resnet-serving-v1-config-7aa84b9a81, Service models\/resnet-serving/);
    assert.match(result.stderr, /not applied \(8\): Deployment models\/resnet-serving-v1, /);
    assert.match(result.stderr, /nothing was deleted/);
    assert.ok(!forbidden.server.requests.some((r) => r.method === 'DELETE'));
  } finally {
    await forbidden.server.stop();
  }
});

test('a field owned by another manager: exit 6 naming manager and field; --force-conflicts takes it', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/1-v1.yaml'], kubeconfig)).code, 0);
    server.update('Deployment', 'models', 'resnet-serving-v1', 'kubectl-scale', (d) => (d.spec.replicas = 5));
    const result = await run(['apply', 'examples/resnet/1-v1.yaml'], kubeconfig);
    assert.is(result.code, 6, result.stderr);
    assert.match(result.stderr, /applying Deployment models\/resnet-serving-v1: another field manager owns fields servec sets:\n\s+\.spec\.replicas: conflict with "kubectl-scale"/);
    assert.match(result.stderr, /--force-conflicts/);
    assert.match(result.stderr, /nothing was deleted/);
    clean(result, '409');
    const forced = await run(['apply', 'examples/resnet/1-v1.yaml', '--force-conflicts'], kubeconfig);
    assert.is(forced.code, 0, forced.stderr);
    assert.is(server.find('Deployment', 'models', 'resnet-serving-v1')?.spec.replicas, 2);
  } finally {
    await server.stop();
  }
});

test('missing CRDs: exit 5 naming Istio or Flagger, before anything is written', async () => {
  for (const [group, provider, kind] of [
    ['flagger.app', 'Flagger', 'MetricTemplate'],
    ['networking.istio.io', 'Istio', 'ServiceEntry'],
  ] as const) {
    const { server, kubeconfig } = await fakeCluster({ missingGroups: [group] });
    try {
      const result = await run(['apply', 'examples/resnet/4-flagger.yaml'], kubeconfig);
      assert.is(result.code, 5, result.stderr);
      assert.match(result.stderr, new RegExp(`the cluster does not serve ${kind} \\(${group.replaceAll('.', '\\.')}/v1(beta1)?\\): ${provider} is not installed`));
      assert.match(result.stderr, new RegExp(`hint: install ${provider}`));
      assert.equal(server.requests.filter((r) => r.method !== 'GET'), [], 'nothing written');
      const diff = await run(['diff', 'examples/resnet/4-flagger.yaml'], kubeconfig);
      assert.is(diff.code, 5);
    } finally {
      await server.stop();
    }
  }
});

test('an apply cut off midway: exit 7, what was and was not applied, nothing deleted; a rerun finishes', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    server.options.dropApply = server.requests.filter((r) => r.method === 'PATCH').length + 4; // the 3rd object of the next run
    const cut = await run(['apply', 'examples/resnet/3-promoted.yaml'], kubeconfig);
    assert.is(cut.code, 7, cut.stderr);
    assert.match(cut.stderr, /applying Service models\/resnet-serving/);
    assert.match(cut.stderr, /applied \(2\): ServiceAccount models\/resnet-serving, ConfigMap models\/resnet-serving-v2-config-a562426fbc\n/);
    assert.match(cut.stderr, /not applied \(9\): Service models\/resnet-serving, /);
    assert.match(cut.stderr, /nothing was deleted/);
    assert.ok(server.names().includes('Deployment models/resnet-serving-v1'));
    assert.ok(!server.requests.some((r) => r.method === 'DELETE'));
    const rerun = await run(['apply', 'examples/resnet/3-promoted.yaml'], kubeconfig);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.ok(!server.names().includes('Deployment models/resnet-serving-v1'));
  } finally {
    await server.stop();
  }
});

test('prune never deletes what another controller owns or writes', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    // Another controller took the v1 PodDisruptionBudget over; something owns the v1 ConfigMap.
    server.update('PodDisruptionBudget', 'models', 'resnet-serving-v1', 'platform-operator', (p) => (p.spec.maxUnavailable = 1));
    server.update('ConfigMap', 'models', 'resnet-serving-v1-config-7aa84b9a81', 'archiver', (c) => (c.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'archive', uid: 'x' }]));
    const result = await run(['apply', 'examples/resnet/3-promoted.yaml'], kubeconfig);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stderr, /kept PodDisruptionBudget models\/resnet-serving-v1: also written by platform-operator/);
    assert.match(result.stderr, /kept ConfigMap models\/resnet-serving-v1-config-7aa84b9a81: owned by ConfigMap archive/);
    assert.ok(server.names().includes('PodDisruptionBudget models/resnet-serving-v1'));
    assert.ok(!server.names().includes('Deployment models/resnet-serving-v1'));
  } finally {
    await server.stop();
  }
});

test('usage and spec errors: exit 2, 1 (10 for diff), before any request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servec-bad-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: servec.dev/v1alpha1\nkind: ModelService\nmetadata: {name: x, namespace: y}\nspec: {}\n');
  const { server, kubeconfig } = await fakeCluster();
  try {
    assert.is((await run(['apply', bad], kubeconfig)).code, 1);
    assert.is((await run(['status', bad], kubeconfig)).code, 1);
    assert.is((await run(['diff', bad], kubeconfig)).code, 10);
    assert.is((await run(['apply', 'examples/resnet/1-v1.yaml', '--bogus'], kubeconfig)).code, 2);
    assert.is((await run(['apply', 'examples/resnet/1-v1.yaml', '--timeout', 'soon'], kubeconfig)).code, 2);
    assert.is((await run(['status', 'examples/resnet/1-v1.yaml', '-o', 'xml'], kubeconfig)).code, 2);
    assert.is((await run(['apply'], kubeconfig)).code, 2);
    assert.equal(server.requests, []);
  } finally {
    await server.stop();
  }
});

test('status exits 9 when degraded and says why; --wait gives up at the timeout', async () => {
  const { server, kubeconfig } = await fakeCluster({ readyAfterMs: 0 });
  try {
    assert.is((await run(['apply', 'examples/resnet/2-canary.yaml'], kubeconfig)).code, 0);
    server.update('VirtualService', 'models', 'resnet-serving', 'someone', (v) => {
      for (const http of v.spec.http) for (const route of http.route) route.weight = route.destination.subset === 'v1' ? 100 : 0;
    });
    const result = await run(['status', 'examples/resnet/2-canary.yaml', '--wait', '--timeout', '50ms'], kubeconfig);
    assert.is(result.code, 9, result.stdout);
    assert.match(result.stdout, /models\/resnet-serving: degraded/);
    assert.match(result.stdout, /! v1: live weight 100, desired 70/);
    const json = JSON.parse((await run(['status', 'examples/resnet/2-canary.yaml', '-o', 'json'], kubeconfig)).stdout);
    assert.equal(json.specs[0].versions.map((v: { version: string; desiredWeight: number; liveWeight: number }) => [v.version, v.desiredWeight, v.liveWeight]), [
      ['v1', 70, 100],
      ['v2', 30, 0],
    ]);
  } finally {
    await server.stop();
  }
});

test.run();
