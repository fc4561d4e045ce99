// The cluster code's rules on tiny inputs: rollout readiness, prune protection, diff rendering,
// Secret masking, the ApplySet id, progress on a terminal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { progress } from '../src/cli/cluster.js';
import { applySetId } from '../src/cluster/applyset.js';
import { maskSecrets, unifiedDiff } from '../src/cluster/compare.js';
import type { KObject } from '../src/cluster/object.js';
import { decidePrune } from '../src/cluster/prune.js';
import { deploymentPending } from '../src/cluster/rollout.js';

test("the ApplySet id is kubectl's (its own test vector: Secret my-set in namespace test)", () => {
  assert.is(applySetId('my-set', 'test'), 'applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
});

test("a Deployment is rolled out by kubectl's rule", () => {
  const d = (generation: number, spec: object, status: object): KObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation }, spec, status });
  assert.is(deploymentPending(d(2, { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), undefined);
  assert.match(deploymentPending(d(3, { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }))!, /controller/);
  assert.match(deploymentPending(d(2, { replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }))!, /1 of 2 new replicas/);
  assert.match(deploymentPending(d(2, { replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }))!, /1 old replicas pending/);
  assert.match(deploymentPending(d(2, { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }))!, /1 of 2 updated replicas available/);
  assert.match(deploymentPending(d(2, { replicas: 2 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }))!, /deadline/);
  assert.is(deploymentPending(d(2, { replicas: 0 }, { observedGeneration: 2 })), undefined, 'scaled to zero is rolled out');
});

test('prune keeps owned, Flagger-adopted and co-managed objects, and removes the rest', () => {
  const obj = (kind: string, name: string, extra: Partial<KObject['metadata']> = {}): KObject => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, metadata: { name, namespace: 'm', ...extra } });
  const canary: KObject = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'svc', namespace: 'm' }, spec: { targetRef: { name: 'svc' }, service: { port: 9000 } } };
  const live = [
    obj('Deployment', 'svc-v2'),
    obj('Deployment', 'svc-primary', { ownerReferences: [{ kind: 'Canary', name: 'svc' }] }),
    obj('Service', 'svc'),
    { ...obj('DestinationRule', 'svc'), apiVersion: 'networking.istio.io/v1' },
    obj('Service', 'svc-canary'),
    obj('ConfigMap', 'mine', { managedFields: [{ manager: 'servec', operation: 'Apply' }, { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status' } as never] }),
    obj('ConfigMap', 'theirs', { managedFields: [{ manager: 'servec', operation: 'Apply' }, { manager: 'helm', operation: 'Update' }] }),
  ];
  const decision = decidePrune(live, [canary, obj('Deployment', 'svc')]);
  assert.equal(decision.remove.map((o) => `${o.kind} ${o.metadata.name}`), ['Deployment svc-v2', 'DestinationRule svc', 'ConfigMap mine']);
  assert.equal(decision.keep.map((k) => `${k.object.kind} ${k.object.metadata.name}: ${k.reason}`), [
    'Deployment svc-primary: owned by Canary svc',
    'Service svc: adopted or managed by Flagger (named after a Canary)',
    'Service svc-canary: adopted or managed by Flagger (named after a Canary)',
    'ConfigMap theirs: also written by helm',
  ]);
});

test('unified diffs apply with patch(1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servec-diff-'));
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nB\nc\n'],
    ['', 'x\ny\n'],
    ['x\ny\n', ''],
    [Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n', Array.from({ length: 30 }, (_, i) => (i === 3 || i === 25 ? `L${i}` : `l${i}`)).join('\n') + '\nextra\n'],
  ];
  for (const [i, [before, after]] of cases.entries()) {
    const file = join(dir, `f${i}`);
    writeFileSync(file, before);
    writeFileSync(`${file}.patch`, unifiedDiff(before, after, `a/f${i}`, `b/f${i}`));
    execFileSync('patch', ['-s', '-p1', '-d', dir, '-i', `${file}.patch`]);
    assert.is(execFileSync('cat', [file], { encoding: 'utf8' }), after, `case ${i}`);
  }
  assert.is(unifiedDiff('same\n', 'same\n', 'a', 'b'), '');
});

test('Secret values are masked, changed keys marked', () => {
  const secret = (data: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
  const [before, after] = maskSecrets(secret({ a: 'MQ==', b: 'Mg==' }), secret({ a: 'MQ==', b: 'Mw==', c: 'NA==' }));
  assert.equal(before!.data, { a: '***', b: '*** (before)' });
  assert.equal(after!.data, { a: '***', b: '*** (after)', c: '*** (after)' });
  assert.not.match(JSON.stringify([before, after]), /MQ==|Mg==|Mw==|NA==/);
});

test('progress rewrites one line on a terminal, prints lines otherwise', () => {
  let tty = '';
  const onTerminal = progress({ stdout: () => {}, stderr: (t) => void (tty += t), env: {}, stderrIsTTY: true });
  onTerminal('waiting: a');
  onTerminal('waiting: a');
  onTerminal('waiting: b');
  assert.is(tty, '\r\x1b[2Kwaiting: a\r\x1b[2Kwaiting: b');
  let plain = '';
  const inLog = progress({ stdout: () => {}, stderr: (t) => void (plain += t), env: {}, stderrIsTTY: false });
  inLog('waiting: a');
  inLog('waiting: a');
  assert.is(plain, 'waiting: a\n');
});

test.run();
