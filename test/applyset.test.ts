/**
 * The real kubectl takes every built stream for ApplySet pruning (KEP-3659):
 * `KUBECTL_APPLYSET=true kubectl apply --prune --applyset=INSTANCE -n NS --dry-run=client`,
 * once per spec (namespace and instance label), and refuses what servec must never emit.
 *
 * kubectl cannot run this without a server: it resolves every kind, and the parent, through API
 * discovery and reads each object (and the parent Secret) before a client dry run. The server here
 * answers only discovery, for the kinds in the stream, and 404 to every read, that is an empty
 * namespace. So this proves what kubectl checks on its own side (input labels, namespaces, kinds it can
 * map, the parent reference); what it cannot prove — server-side apply, the parent's creation, the
 * prune's list and delete calls — needs a real cluster. Skipped, with a notice, without kubectl.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toYaml } from '../src/compiler/serialize.js';
import type { K8sObject } from '../src/emitters/index.js';
import { builtCases } from './helpers/corpus.js';

type Any = Record<string, any>;
const available = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const INSTANCE = 'app.kubernetes.io/instance';

const plural = (kind: string) => (kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`).toLowerCase();

/** A discovery-only API server on loopback for the given kinds (plus Secret, the parent's kind). */
function discoveryServer(objects: readonly Any[]): Promise<Server> {
  const byGroupVersion = new Map<string, Set<string>>([['v1', new Set(['Secret'])]]);
  for (const o of objects) byGroupVersion.set(o.apiVersion, (byGroupVersion.get(o.apiVersion) ?? new Set()).add(o.kind));
  const resources = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: [...(byGroupVersion.get(gv) ?? [])].map((kind) => ({ name: plural(kind), singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['create', 'delete', 'get', 'list', 'patch'] })),
  });
  const groups = [...byGroupVersion.keys()].filter((gv) => gv.includes('/')).map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const reply = (code: number, body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/api') return reply(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return reply(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    if (path === '/version') return reply(200, { major: '1', minor: '34', gitVersion: 'v1.34.0' });
    const gv = path === '/api/v1' ? 'v1' : path.match(/^\/apis\/([^/]+\/[^/]+)$/)?.[1];
    if (gv && byGroupVersion.has(gv)) return reply(200, resources(gv));
    reply(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs kubectl's ApplySet client dry run of `objects` against `server`. */
async function applySetDryRun(server: Server, objects: readonly Any[], namespace: string, instance: string): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'servec-applyset-'));
  try {
    const kubeconfig = join(dir, 'config');
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: t, user: {}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\ncurrent-context: t\n`,
    );
    const stream = join(dir, 'stream.yaml');
    writeFileSync(stream, toYaml(objects as K8sObject[]));
    const args = ['apply', '--prune', `--applyset=${instance}`, '-n', namespace, '--dry-run=client', '--validate=false', '-f', stream];
    // Asynchronous: the server answering kubectl runs in this process.
    return await new Promise((resolve) =>
      execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig, KUBECTL_APPLYSET: 'true' }, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, out: `${stdout}${stderr}` }),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One ApplySet per spec: the objects of one namespace and instance label. */
function perSpec(objects: readonly Any[]): Array<{ namespace: string; instance: string; members: Any[] }> {
  const sets = new Map<string, { namespace: string; instance: string; members: Any[] }>();
  for (const o of objects) {
    const namespace = o.metadata.namespace;
    const instance = o.metadata.labels[INSTANCE];
    const key = `${namespace}/${instance}`;
    if (!sets.has(key)) sets.set(key, { namespace, instance, members: [] });
    sets.get(key)!.members.push(o);
  }
  return [...sets.values()];
}

if (!available) {
  console.log('  (applyset.test: kubectl not found; the ApplySet dry runs are skipped)');
} else {
  const cases = builtCases();

  test('kubectl accepts every built stream for ApplySet pruning, one ApplySet per spec', async () => {
    const server = await discoveryServer(cases.flatMap((c) => c.objects));
    try {
      const runs = cases.flatMap((c) => perSpec(c.objects).map((set) => ({ name: c.name, ...set })));
      const problems: string[] = [];
      // A few kubectl processes at a time: each spends most of its time starting up.
      for (let i = 0; i < runs.length; i += 6) {
        await Promise.all(
          runs.slice(i, i + 6).map(async (set) => {
            const { code, out } = await applySetDryRun(server, set.members, set.namespace, set.instance);
            const created = out.split('\n').filter((line) => line.endsWith(' created (dry run)')).length;
            if (code !== 0 || created !== set.members.length) problems.push(`${set.name} (${set.namespace}/${set.instance}): exit ${code}, ${created}/${set.members.length} objects\n${out}`);
          }),
        );
      }
      assert.equal(problems.sort(), []);
    } finally {
      server.close();
    }
  });

  test('kubectl refuses a member labelled applyset.kubernetes.io/part-of, and an object outside the namespace', async () => {
    const objects = cases.find((c) => c.name === 'examples/resnet/3-promoted.yaml')!.objects as Any[];
    const server = await discoveryServer(objects);
    try {
      const set = perSpec(objects)[0]!;
      const labelled = objects.map((o, i) => (i === 0 ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'applyset.kubernetes.io/part-of': 'applyset-x-v1' } } } : o));
      const refused = await applySetDryRun(server, labelled, set.namespace, set.instance);
      assert.ok(refused.code !== 0 && /applyset\.kubernetes\.io\/part-of.*already set/.test(refused.out), refused.out);
      const moved = objects.map((o, i) => (i === 0 ? { ...o, metadata: { ...o.metadata, namespace: 'elsewhere' } } : o));
      const outside = await applySetDryRun(server, moved, set.namespace, set.instance);
      assert.ok(outside.code !== 0 && /does not match the namespace/.test(outside.out), outside.out);
    } finally {
      server.close();
    }
  });
}

test.run();
