/** The transition rules on tiny object lists: classification, object changes and the order of steps. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KObject } from '../src/behaviour/index.js';
import { classify, diffObjects, safeSequence, type CallerTraffic } from '../src/transition/index.js';

const obj = (kind: string, name: string, spec: Record<string, unknown> = {}, apiVersion = 'v1'): KObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'ns', labels: { 'app.kubernetes.io/name': 'm' } },
  spec,
});
const deploy = (name: string, replicas = 1) => obj('Deployment', name, { replicas }, 'apps/v1');
const canary = obj('Canary', 'm', { targetRef: { name: 'm' } }, 'flagger.app/v1beta1');
const route = (weights: Record<string, number>) => obj('VirtualService', 'm', { http: [{ route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host: 'm', subset }, weight })) }] }, 'networking.istio.io/v1');
const traffic = (before: Record<string, number>, after: Record<string, number> = {}): CallerTraffic[] => [
  {
    service: 'ns/m',
    caller: 'gateway grpc m.example.com:80',
    before: Object.entries(before).map(([deployment, percent]) => ({ percent, deployment, models: [1] })),
    after: Object.entries(after).map(([deployment, percent]) => ({ percent, deployment, models: [1] })),
  },
];

test('objects: created, changed, deleted by group/kind/namespace/name; key order and API version do not count', () => {
  const before = [deploy('a'), deploy('b'), obj('ConfigMap', 'c', { x: 1, y: 2 })];
  const after = [deploy('a', 2), { ...obj('ConfigMap', 'c', { y: 2, x: 1 }) }, obj('Service', 'm')];
  const changes = diffObjects(before, after);
  assert.equal(changes.created.map((r) => r.name), ['m']);
  assert.equal(changes.changed.map((r) => r.name), ['a']);
  assert.equal(changes.deleted.map((r) => r.name), ['b']);
  assert.is(changes.unchanged, 1);
  const moved = diffObjects([obj('Canary', 'm', {}, 'flagger.app/v1beta1')], [obj('Canary', 'm', {}, 'flagger.app/v1')]);
  assert.is(moved.deleted.length + moved.created.length, 0);
});

test('classify: a Canary appearing is manual → flagger; disappearing is flagger → manual', () => {
  assert.equal(classify([deploy('m-v1')], [deploy('m'), canary], traffic({ 'm-v1': 100 }, { 'm-primary': 100 })).map((t) => t.kind), ['manual-to-flagger']);
  assert.equal(classify([deploy('m'), canary], [deploy('m-v1')], traffic({ 'm-primary': 100 }, { 'm-v1': 100 })).map((t) => t.kind), ['flagger-to-manual']);
  assert.equal(classify([deploy('m'), canary], [deploy('m', 3), canary], traffic({ 'm-primary': 100 }, { 'm-primary': 100 })), []);
});

test('classify: removing a Deployment that answers requests is ordered; one at 0% is not', () => {
  const removed = classify([deploy('m-v1'), deploy('m-v2')], [deploy('m-v2')], traffic({ 'm-v1': 70, 'm-v2': 30 }, { 'm-v2': 100 }));
  assert.equal(removed, [{ kind: 'version-removed-with-traffic', spec: 'ns/m', deployment: { kind: 'Deployment', group: 'apps', namespace: 'ns', name: 'm-v1' }, shares: [{ caller: 'gateway grpc m.example.com:80', percent: 70 }] }]);
  assert.equal(classify([deploy('m-v1'), deploy('m-v2')], [deploy('m-v2')], traffic({ 'm-v2': 100 }, { 'm-v2': 100 })), []);
});

test('classify: a changed Gateway, or a gateway caller that loses its route, is a gateway change', () => {
  const gw = (port: number) => obj('Gateway', 'm-gateway', { servers: [{ port: { number: port } }] }, 'networking.istio.io/v1');
  assert.equal(classify([gw(80)], [gw(443)], []).map((t) => t.kind), ['gateway-change']);
  const lost = classify([gw(80)], [gw(80)], traffic({ m: 100 }, {}));
  assert.equal(lost.map((t) => t.kind === 'gateway-change' && t.lost), [['gateway grpc m.example.com:80']]);
});

test('steps: nothing is deleted before everything is applied; the VirtualService moves before the DestinationRule drops a subset', () => {
  const before = [deploy('m-v1'), deploy('m-v2'), route({ v1: 70, v2: 30 }), obj('DestinationRule', 'm', { subsets: ['v1', 'v2'] }, 'networking.istio.io/v1')];
  const after = [deploy('m-v2'), route({ v2: 100 }), obj('DestinationRule', 'm', { subsets: ['v2'] }, 'networking.istio.io/v1')];
  const t = traffic({ 'm-v1': 70, 'm-v2': 30 }, { 'm-v2': 100 });
  const steps = safeSequence(diffObjects(before, after), classify(before, after, t), before, after);
  const order = steps.map((s) => `${s.action} ${(s.objects ?? []).map((r) => r.kind).join('+')}`);
  assert.equal(order, ['warn ', 'apply VirtualService', 'wait VirtualService', 'apply DestinationRule', 'delete Deployment']);
});

test('steps: manual → flagger applies the Canary after the target is ready and deletes the old Deployments only after Initialized, keeping what Flagger adopts', () => {
  const before = [obj('Service', 'm'), deploy('m-v1'), route({ v1: 100 })];
  const after = [deploy('m'), canary];
  const steps = safeSequence(diffObjects(before, after), classify(before, after, []), before, after);
  const order = steps.map((s) => `${s.action} ${(s.objects ?? []).map((r) => `${r.kind}/${r.name}`).join('+')}`);
  assert.equal(order, ['apply Deployment/m', 'wait Deployment/m', 'route VirtualService/m', 'apply Canary/m', 'wait Canary/m', 'keep Service/m+VirtualService/m', 'delete Deployment/m-v1']);
});

test('steps: a Canary whose Service is named apart from its target: Flagger adopts the Service and VirtualService of that name, the wait is on the target', () => {
  const named = obj('Canary', 'm', { targetRef: { name: 'm' }, service: { name: 'api' } }, 'flagger.app/v1beta1');
  const apiRoute = { ...route({ v1: 100 }), metadata: { ...route({}).metadata, name: 'api' } };
  const before = [obj('Service', 'api'), deploy('m-v1'), apiRoute];
  const after = [deploy('m'), named];
  const steps = safeSequence(diffObjects(before, after), classify(before, after, []), before, after);
  const order = steps.map((s) => `${s.action} ${(s.objects ?? []).map((r) => `${r.kind}/${r.name}`).join('+')}`);
  assert.equal(order, ['apply Deployment/m', 'wait Deployment/m', 'route VirtualService/api', 'apply Canary/m', 'wait Canary/m', 'keep Service/api+VirtualService/api', 'delete Deployment/m-v1']);
});

test.run();
