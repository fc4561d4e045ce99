/**
 * The cross-spec gateway check of one build: specs that each pass alone but collide on the ingress
 * gateway. Two Gateways on the same gateway pods and port with overlapping hosts conflict (istioctl
 * analyze IST0145); two services' routes for one host on one Gateway merge in creation order
 * (istio#10464), so one takes the other's requests. Both specs get the error, each pointing at the other.
 */
import type { ServicePlan, SpecPath } from '../plan/index.js';
import type { DiagnosticSink } from '../diagnostics/sink.js';
import type { SourceFile } from '../diagnostics/source.js';

/**
 * What the check reads of a plan. Only this is kept until the end of the build: a whole plan (~13 KB
 * for a spec with a canary) would stay alive, and be copied by the collector, for every spec.
 */
export type GatewayFacts = Pick<ServicePlan, 'namespace' | 'name' | 'mode' | 'exposed' | 'gateway' | 'origin'> & { model: Pick<ServicePlan['model'], 'name'> };

/** The facts of a plan the check reads, without the rest of it. */
export function gatewayFacts(plan: ServicePlan): GatewayFacts {
  const { namespace, name, mode, exposed, gateway, origin } = plan;
  return { namespace, name, mode, exposed, gateway, origin, model: { name: plan.model.name } };
}

/** A spec that passed its own checks, with a way to find its paths in its file. */
export interface PlannedSpec {
  plan: GatewayFacts;
  source: SourceFile;
  locate(path: SpecPath): { start: number; end: number };
}

export function gatewayConflicts(specs: readonly PlannedSpec[], sink: DiagnosticSink): void {
  for (const [i, j] of candidatePairs(specs)) {
    const [a, b] = [specs[i]!, specs[j]!];
    // The same service twice is a duplicate (assemble.ts says so), not two services that collide.
    if (a.plan.namespace === b.plan.namespace && a.plan.name === b.plan.name) continue;
    const why = conflict(a.plan, b.plan);
    if (why) {
      report(sink, a, b, why);
      report(sink, b, a, why);
    }
  }
}

/**
 * The pairs of specs whose hosts can overlap, in order: those that name a host in common, and every
 * pair with a spec that takes a wildcard host. Services with hosts of their own, the usual case,
 * cost one map entry each, where comparing every pair would grow with the square of the build.
 */
function candidatePairs(specs: readonly PlannedSpec[]): Array<[number, number]> {
  const byHost = new Map<string, number[]>();
  const wildcards: number[] = [];
  specs.forEach((spec, i) => {
    for (const host of spec.plan.gateway.hosts) {
      if (host.startsWith('*')) wildcards.push(i);
      else (byHost.get(host) ?? byHost.set(host, []).get(host)!).push(i);
    }
  });
  const pairs = new Map<string, [number, number]>();
  const add = (x: number, y: number) => {
    if (x !== y) pairs.set(x < y ? `${x} ${y}` : `${y} ${x}`, x < y ? [x, y] : [y, x]);
  };
  for (const group of byHost.values()) for (let x = 0; x < group.length; x++) for (let y = x + 1; y < group.length; y++) add(group[x]!, group[y]!);
  for (const w of wildcards) for (let j = 0; j < specs.length; j++) add(w, j);
  return [...pairs.values()].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

function conflict(a: GatewayFacts, b: GatewayFacts): string | undefined {
  const [ga, gb] = [a.gateway, b.gateway];
  const host = overlap(ga.hosts, gb.hosts);
  if (host === undefined) return undefined;
  if (ga.kind === 'own' && gb.kind === 'own' && ga.port === gb.port && sameLabels(ga.selector, gb.selector)) {
    return `both write a Gateway for the gateway pods ${labelText(ga.selector)} on port ${ga.port} with host ${host} (Istio: conflicting gateways, IST0145)`;
  }
  if (ga.reference !== gb.reference) return undefined;
  const routes = sharedRoutes(a, b);
  return routes && `both route ${routes} for host ${host} on the Gateway ${ga.reference}, so one service would take the other's requests`;
}

/** What two services' routes on one host both match: gRPC always; REST when the model name is the same; anything with a Flagger route (it matches every request). */
function sharedRoutes(a: GatewayFacts, b: GatewayFacts): string | undefined {
  if (a.mode === 'flagger' || b.mode === 'flagger') return 'every request';
  if (a.exposed.includes('grpc') && b.exposed.includes('grpc')) return 'gRPC';
  if (a.exposed.includes('rest') && b.exposed.includes('rest') && a.model.name === b.model.name) return `the REST paths of model "${a.model.name}"`;
  return undefined;
}

function report(sink: DiagnosticSink, at: PlannedSpec, other: PlannedSpec, why: string): void {
  const path = place(at.plan);
  const otherAt = other.source.position(other.locate(place(other.plan)).start);
  sink.at(at.source, 'SV232', `this spec and ${other.plan.namespace}/${other.plan.name} (${other.source.file}:${otherAt.line}:${otherAt.col}) ${why}`, at.locate(path), {
    path,
    labels: [{ source: other.source, range: other.locate(place(other.plan)), message: `the hosts of ${other.plan.namespace}/${other.plan.name}${other.plan.gateway.origins.hosts.given ? '' : ` (by default ${other.plan.gateway.hosts.join(', ')})`}` }],
    hint: `give each service hosts of its own, e.g. gateway.hosts: [${at.plan.name}.example.com]; on one shared host, serve gRPC from one service only and give each a distinct model name`,
  });
}

/** Where a spec says which hosts it takes: gateway.hosts, else gateway, else its name. */
function place(plan: GatewayFacts): SpecPath {
  const o = plan.gateway.origins;
  return o.hosts.given ? o.hosts.path : o.gateway.given ? o.gateway.path : plan.origin.path;
}

/** A host both lists accept, if any (`*` and `*.suffix` wildcards as Istio reads them). */
function overlap(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) for (const y of b) if (covers(x, y)) return y;
  for (const x of a) for (const y of b) if (covers(y, x)) return x;
  return undefined;
}

function covers(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  return pattern.startsWith('*.') && (host.endsWith(pattern.slice(1)) || (host.startsWith('*.') && host.endsWith(pattern.slice(1))));
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) => labelText(a) === labelText(b);

const labelText = (labels: Record<string, string>) =>
  `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${labels[k]}`)
    .join(', ')}}`;
