/**
 * The behaviour model: from the objects of a build and explicit cluster assumptions, who answers each
 * class of caller of each served Service, with what share, or why the call is refused. Pure: no I/O.
 *
 *   const world = prepare(objects, { ...DEFAULT_CLUSTER, canaryWeight: 10 });
 *   call(world, { kind: 'mesh', identity: 'apps/client', host: 'resnet.models', port: 8500, protocol: 'grpc' });
 *   behaviour(objects, cluster)   // every caller class of every Service, printable with formatBehaviour
 */
import { apexOf, withFlagger } from './flagger.js';
import { Mesh, type Hit } from './mesh.js';
import type { Caller, CallResult, Cluster, KObject, Protocol, ServiceBehaviour, Share } from './types.js';

export * from './types.js';
export { fqdn } from './match.js';
export { refuse } from './admission.js';
export { apexOf } from './flagger.js';

type Any = Record<string, any>;

/** The cluster after Flagger has reconciled every Canary at `cluster.canaryWeight`. */
export interface World {
  mesh: Mesh;
  cluster: Cluster;
  roles: Map<string, 'primary' | 'canary'>;
  apexServices: string[];
}

export function prepare(objects: readonly KObject[], cluster: Cluster): World {
  const flagger = withFlagger(objects, cluster.canaryWeight);
  return { mesh: new Mesh(flagger.objects, cluster), cluster, roles: flagger.roles, apexServices: flagger.apexServices };
}

/** Who answers one call, in shares summing to 100 (rounded to 0.01). */
export function call(world: World, caller: Caller): CallResult {
  return { caller, shares: sharesOf(world, world.mesh.call(caller)) };
}

function sharesOf(world: World, hits: Hit[]): Share[] {
  const merged = new Map<string, Share>();
  for (const hit of hits) {
    const key = 'pods' in hit ? `a:${hit.pods.namespace}/${hit.pods.deployment}` : `r:${hit.refused.code}:${hit.refused.reason}`;
    const seen = merged.get(key);
    if (seen) {
      seen.percent += hit.percent;
      continue;
    }
    if ('pods' in hit) {
      const role = world.roles.get(`${hit.pods.namespace}/${hit.pods.deployment}`);
      merged.set(key, {
        percent: hit.percent,
        deployment: hit.pods.deployment,
        namespace: hit.pods.namespace,
        ...(role && { role }),
        modelVersions: hit.pods.modelVersions,
        image: hit.pods.image,
      });
    } else merged.set(key, { percent: hit.percent, refused: hit.refused });
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => ({ ...s, percent: Math.round(s.percent * 100) / 100 }));
}

/** The share answered by each Deployment (refusals left out): `{ deployment: percent }`. */
export function answered(result: CallResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of result.shares) if ('deployment' in s) out[s.deployment] = (out[s.deployment] ?? 0) + s.percent;
  return out;
}

/** The refusals of a call. */
export function refusals(result: CallResult) {
  return result.shares.flatMap((s) => ('refused' in s ? [{ percent: s.percent, ...s.refused }] : []));
}

const protocolOf = (port: Any): Protocol | undefined => {
  const name = `${port.appProtocol ?? ''} ${port.name ?? ''}`;
  if (/grpc/.test(name)) return 'grpc';
  if (/http/.test(name)) return 'rest';
  return undefined;
};

/**
 * Every caller class of every served Service: the ingress gateway on each Gateway server port of the
 * Service's spec (both protocols), each in-mesh identity of `cluster.meshCallers` on each Service port,
 * and, for a Canary with a load-test webhook, the load tester on the host:port its command names.
 */
export function behaviour(objects: readonly KObject[], cluster: Cluster): ServiceBehaviour[] {
  const world = prepare(objects, cluster);
  const services = world.mesh
    .of('Service')
    .filter((s) => objects.includes(s as KObject) || world.apexServices.includes(`${s.metadata.namespace}/${s.metadata.name}`));
  return services.map((s) => {
    const ns = s.metadata.namespace as string;
    const id = `${ns}/${s.metadata.name}`;
    const app = s.metadata.labels?.['app.kubernetes.io/name'] ?? s.metadata.name;
    const canary = world.mesh.of('Canary').find((c) => c.metadata.namespace === ns && apexOf(c) === s.metadata.name);
    const calls: CallResult[] = [];
    // REST callers ask for the model the pods serve, as a client would: routes may match on that path.
    const rest = restPath(world, ns, app);
    const path = (protocol: Protocol) => (protocol === 'rest' ? rest : undefined);
    const gateways = world.mesh.of('Gateway').filter((g) => (g.metadata.labels?.['app.kubernetes.io/name'] ?? '') === (canary?.metadata.labels?.['app.kubernetes.io/name'] ?? app));
    for (const g of gateways) {
      for (const server of g.spec.servers ?? []) {
        const host = (server.hosts ?? ['*']).map((h: string) => h.split('/').pop()!).find((h: string) => h !== '*') ?? `${s.metadata.name}.example.com`;
        for (const protocol of ['grpc', 'rest'] as const) calls.push(call(world, { kind: 'gateway', host: host.replace(/^\*\./, 'any.'), port: server.port.number, protocol, path: path(protocol) }));
      }
    }
    for (const identity of cluster.meshCallers) {
      for (const port of s.spec.ports ?? []) {
        const protocol = protocolOf(port);
        if (protocol) calls.push(call(world, { kind: 'mesh', identity, host: `${s.metadata.name}.${ns}`, port: port.port, protocol, path: path(protocol) }));
      }
    }
    const tester = canary && loadTestTarget(canary);
    if (tester) calls.push(call(world, { kind: 'mesh', identity: cluster.loadTester, path: path(tester.protocol), ...tester }));
    return { service: id, mode: canary ? 'flagger' : 'manual', calls };
  });
}

/**
 * The REST path of a prediction for the model that a service's pods serve, read from their
 * readiness probe (`/v1/models/NAME/versions/N`); undefined when no pod says.
 */
function restPath(world: ReturnType<typeof prepare>, namespace: string, app: string): string | undefined {
  for (const d of world.mesh.of('Deployment')) {
    if (d.metadata.namespace !== namespace || d.spec.template?.metadata?.labels?.['app.kubernetes.io/name'] !== app) continue;
    for (const c of d.spec.template.spec?.containers ?? []) {
      const model = /^\/v1\/models\/([^/]+)/.exec(c.readinessProbe?.httpGet?.path ?? '')?.[1];
      if (model) return `/v1/models/${model}:predict`;
    }
  }
  return undefined;
}

/** The host:port a Canary's load-test webhook command calls (ghz and hey style), with its protocol. */
export function loadTestTarget(canary: Any): { host: string; port: number; protocol: Protocol } | undefined {
  for (const hook of canary.spec.analysis?.webhooks ?? []) {
    const cmd: string | undefined = hook.metadata?.cmd;
    if (!cmd || !/(^|\s)(ghz|hey|curl)\s/.test(`${cmd} `)) continue;
    const grpc = /(^|\s)ghz\s/.test(cmd);
    const target = /(?:https?:\/\/)?([a-z0-9-]+(?:\.[a-z0-9-]+)*):(\d+)/.exec(cmd.split(/\s+/).reverse().find((w) => /:\d+/.test(w)) ?? '');
    if (target) return { host: target[1]!, port: Number(target[2]), protocol: grpc ? 'grpc' : 'rest' };
  }
  return undefined;
}

export function describeCaller(c: Caller): string {
  return c.kind === 'gateway' ? `gateway ${c.protocol} ${c.host}:${c.port}` : `mesh ${c.identity} ${c.protocol} ${c.host}:${c.port}`;
}

/** One line per call: `caller → share% deployment (model N, image) | share% refused code (reason)`. */
export function formatBehaviour(list: readonly ServiceBehaviour[]): string {
  return list
    .map((b) =>
      [
        `${b.service} (${b.mode})`,
        ...b.calls.map(
          (c) =>
            `  ${describeCaller(c.caller)} → ${c.shares
              .map((s) =>
                'deployment' in s
                  ? `${s.percent}% ${s.deployment}${s.role ? ` [${s.role}]` : ''} (model ${s.modelVersions.join(',') || '?'}, ${s.image})`
                  : `${s.percent}% refused ${s.refused.code}: ${s.refused.reason} (gRPC ${s.refused.grpcStatus} / HTTP ${s.refused.httpStatus})`,
              )
              .join('; ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}
