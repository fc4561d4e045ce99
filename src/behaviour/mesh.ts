/**
 * Istio's documented semantics, reduced to what decides who answers a request: Gateway servers bound
 * to the gateway pods, VirtualServices bound to gateways or to `mesh` (istio/api
 * `virtual_service.proto`: no `gateways` means `mesh`), first matching HTTP route, relative weights,
 * DestinationRule subsets, plain load balancing over every ready pod a Service selects when no
 * VirtualService applies, then sidecars, mTLS (PeerAuthentication / DestinationRule `tls.mode`) and
 * AuthorizationPolicy on each destination pod.
 */
import type { Caller, Cluster, KObject, Protocol, Refusal, RefusalCode } from './types.js';

type Any = Record<string, any>;

/** A Deployment's pods as the mesh sees them. */
export interface PodSet {
  namespace: string;
  deployment: string;
  labels: Record<string, string>;
  replicas: number;
  sidecar: boolean;
  /** containerPort → what listens there. */
  listeners: Map<number, Protocol | 'other'>;
  portNames: Map<string, number>;
  modelVersions: number[];
  image: string;
}

/** A request reaching one pod set with a share of the call (percent), or refused. */
export type Hit = { percent: number; pods: PodSet } | { percent: number; refused: Refusal };

const CLIENT_STATUS: Record<RefusalCode, { grpcStatus: number; httpStatus: number }> = {
  'no-gateway-server': { grpcStatus: 14, httpStatus: 404 },
  'no-route': { grpcStatus: 12, httpStatus: 404 },
  'no-service': { grpcStatus: 14, httpStatus: 503 },
  'port-not-on-service': { grpcStatus: 14, httpStatus: 503 },
  'no-endpoints': { grpcStatus: 14, httpStatus: 503 },
  'wrong-protocol': { grpcStatus: 14, httpStatus: 503 },
  'mtls-to-plaintext': { grpcStatus: 14, httpStatus: 503 },
  'plaintext-to-strict': { grpcStatus: 14, httpStatus: 503 },
  denied: { grpcStatus: 7, httpStatus: 403 },
};

export const refuse = (code: RefusalCode, reason: string): Refusal => ({ code, reason, ...CLIENT_STATUS[code] });

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/** Expands a service host the way Istio does for short names: `a` → `a.NS.svc.cluster.local`, `a.b` → `a.b.svc.cluster.local`. */
export function fqdn(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

const principal = (identity: string) => {
  const [ns, sa] = identity.split('/');
  return `cluster.local/ns/${ns}/sa/${sa}`;
};

export class Mesh {
  readonly pods: PodSet[];
  private readonly byKind = new Map<string, Any[]>();

  constructor(
    objects: readonly KObject[],
    private readonly cluster: Cluster,
  ) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind) ?? [];
      list.push(o as Any);
      this.byKind.set(o.kind, list);
    }
    this.pods = this.of('Deployment').map((d) => this.podSet(d));
  }

  of(kind: string): Any[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Where a call goes and who answers each part of it. */
  call(caller: Caller): Hit[] {
    return caller.kind === 'gateway' ? this.fromGateway(caller) : this.fromMesh(caller);
  }

  private fromGateway(caller: Extract<Caller, { kind: 'gateway' }>): Hit[] {
    const gw = this.cluster.gateway;
    const bound = this.of('Gateway').filter(
      (g) =>
        matches(g.spec.selector, gw.labels) &&
        (g.spec.servers ?? []).some((s: Any) => s.port?.number === caller.port && (s.hosts ?? []).some((h: string) => hostMatches(h.split('/').pop()!, caller.host))),
    );
    if (bound.length === 0) {
      return [whole(refuse('no-gateway-server', `no Gateway selects the ${gw.name} gateway pods (${labelText(gw.labels)}) with a server for ${caller.host}:${caller.port}`))];
    }
    const names = new Set(bound.map((g) => `${g.metadata.namespace}/${g.metadata.name}`));
    const services = this.of('VirtualService').filter(
      (vs) =>
        (vs.spec.gateways ?? []).some((g: string) => names.has(g.includes('/') ? g : `${vs.metadata.namespace}/${g}`)) &&
        (vs.spec.hosts ?? []).some((h: string) => hostMatches(h, caller.host)),
    );
    // Gateway-bound VirtualServices for one host merge in creation order (istio#10464): here, output order.
    const routes = services.flatMap((vs) => (vs.spec.http ?? []).map((r: Any) => ({ vs, r })));
    const chosen = routes.find(({ r }) => routeMatches(r, caller));
    if (!chosen) return [whole(refuse('no-route', `no VirtualService route on the gateway matches a ${caller.protocol} request for ${caller.host}:${caller.port}`))];
    return this.destinations(chosen.r, chosen.vs.metadata.namespace, undefined, gatewayIdentity(this.cluster), true, caller.protocol);
  }

  private fromMesh(caller: Extract<Caller, { kind: 'mesh' }>): Hit[] {
    const host = fqdn(caller.host, 'default');
    const service = this.service(host);
    if (!service) return [whole(refuse('no-service', `no Service answers to ${host}`))];
    const port = (service.spec.ports ?? []).find((p: Any) => p.port === caller.port);
    if (!port) return [whole(refuse('port-not-on-service', `Service ${service.metadata.name} has no port ${caller.port}`))];
    const vs = this.of('VirtualService').find(
      (v) =>
        (v.spec.gateways === undefined || v.spec.gateways.length === 0 || v.spec.gateways.includes('mesh')) &&
        (v.spec.hosts ?? []).some((h: string) => h !== '*' && fqdn(h, v.metadata.namespace) === host),
    );
    const sidecar = caller.sidecar ?? true;
    const identity = sidecar ? principal(caller.identity) : undefined;
    if (!vs) {
      // No VirtualService for mesh callers: round-robin over every ready pod the Service selects.
      return this.endpoints(service, caller.port, undefined, identity, sidecar, caller.protocol, 100);
    }
    const route = (vs.spec.http ?? []).find((r: Any) => routeMatches(r, caller));
    if (!route) return [whole(refuse('no-route', `VirtualService ${vs.metadata.name} has no route matching a ${caller.protocol} request on port ${caller.port}`))];
    return this.destinations(route, vs.metadata.namespace, caller.port, identity, sidecar, caller.protocol);
  }

  private destinations(route: Any, namespace: string, requestPort: number | undefined, identity: string | undefined, sidecar: boolean, protocol: Protocol): Hit[] {
    const list: Any[] = route.route ?? [];
    const weights = list.map((d) => d.weight ?? (list.length === 1 ? 100 : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return [whole(refuse('no-route', 'every destination of the matching route has weight 0'))];
    return list.flatMap((d, i) => {
      const percent = (100 * weights[i]!) / total;
      if (percent === 0) return [];
      const host = fqdn(d.destination.host, namespace);
      const service = this.service(host);
      if (!service) return [{ percent, refused: refuse('no-service', `destination ${host} is no Service`) }];
      const ports: Any[] = service.spec.ports ?? [];
      const port = d.destination.port?.number ?? requestPort ?? (ports.length === 1 ? ports[0].port : undefined);
      if (port === undefined) return [{ percent, refused: refuse('port-not-on-service', `destination ${host} names no port and the Service has several`) }];
      return this.endpoints(service, port, d.destination.subset, identity, sidecar, protocol, percent);
    });
  }

  private endpoints(service: Any, port: number, subset: string | undefined, identity: string | undefined, sidecar: boolean, protocol: Protocol, percent: number): Hit[] {
    const ns = service.metadata.namespace;
    const host = `${service.metadata.name}.${ns}.svc.cluster.local`;
    const servicePort = (service.spec.ports ?? []).find((p: Any) => p.port === port);
    if (!servicePort) return [{ percent, refused: refuse('port-not-on-service', `Service ${service.metadata.name} has no port ${port}`) }];
    const rule = this.of('DestinationRule').find((r) => fqdn(r.spec.host, r.metadata.namespace) === host);
    let selector: Record<string, string> = { ...service.spec.selector };
    if (subset !== undefined) {
      const s = (rule?.spec.subsets ?? []).find((x: Any) => x.name === subset);
      if (!s) return [{ percent, refused: refuse('no-endpoints', `no DestinationRule defines subset ${subset} of ${host}`) }];
      selector = { ...selector, ...s.labels };
    }
    const ready = this.pods.filter((p) => p.namespace === ns && p.replicas > 0 && matches(selector, p.labels));
    if (ready.length === 0) return [{ percent, refused: refuse('no-endpoints', `no ready pod of ${service.metadata.name}${subset ? ` subset ${subset}` : ''} (${labelText(selector)})`) }];
    const replicas = ready.reduce((a, p) => a + p.replicas, 0);
    const tlsMode: string | undefined = rule?.spec.trafficPolicy?.tls?.mode;
    return ready.map((pods) => {
      const share = (percent * pods.replicas) / replicas;
      const target = typeof servicePort.targetPort === 'string' ? pods.portNames.get(servicePort.targetPort) : (servicePort.targetPort ?? servicePort.port);
      const listener = target === undefined ? undefined : pods.listeners.get(target);
      if (listener === undefined) return { percent: share, refused: refuse('no-endpoints', `${pods.deployment} has no container port for Service port ${port}`) };
      if (listener !== protocol) return { percent: share, refused: refuse('wrong-protocol', `a ${protocol} request reaches ${pods.deployment}'s ${listener} port ${target}`) };
      const refusal = this.admission(pods, identity, sidecar, tlsMode, target!);
      return refusal ? { percent: share, refused: refusal } : { percent: share, pods };
    });
  }

  /** mTLS and authorization at a destination pod; undefined when the request is let in. */
  private admission(pods: PodSet, identity: string | undefined, callerSidecar: boolean, tlsMode: string | undefined, port: number): Refusal | undefined {
    let mtls: boolean;
    if (!callerSidecar || tlsMode === 'DISABLE') mtls = false;
    else if (tlsMode === 'ISTIO_MUTUAL') {
      if (!pods.sidecar) return refuse('mtls-to-plaintext', `the caller's proxy sends ISTIO_MUTUAL to ${pods.deployment}, whose pods have no sidecar`);
      mtls = true;
    } else mtls = pods.sidecar; // auto mTLS
    if (!pods.sidecar) return undefined; // nothing enforces PeerAuthentication or AuthorizationPolicy
    if (!mtls && this.strict(pods)) return refuse('plaintext-to-strict', `${pods.deployment} requires mTLS (STRICT) and the caller sends plain text`);
    const source = mtls ? identity : undefined;
    const policies = this.of('AuthorizationPolicy').filter(
      (p) => (p.metadata.namespace === pods.namespace || p.metadata.namespace === 'istio-system') && matches(p.spec.selector?.matchLabels, pods.labels),
    );
    const deny = policies.filter((p) => p.spec.action === 'DENY');
    const allow = policies.filter((p) => (p.spec.action ?? 'ALLOW') === 'ALLOW');
    const who = source ?? 'a caller without identity';
    if (deny.some((p) => (p.spec.rules ?? []).some((r: Any) => ruleMatches(r, source, port)))) return refuse('denied', `a DENY policy refuses ${who} at ${pods.deployment}`);
    if (allow.length > 0 && !allow.some((p) => (p.spec.rules ?? []).some((r: Any) => ruleMatches(r, source, port)))) {
      return refuse('denied', `no AuthorizationPolicy allows ${who} at ${pods.deployment}`);
    }
    return undefined;
  }

  private strict(pods: PodSet): boolean {
    const applies = this.of('PeerAuthentication').filter(
      (p) => (p.metadata.namespace === pods.namespace && matches(p.spec.selector?.matchLabels, pods.labels)) || (p.metadata.namespace === 'istio-system' && !p.spec.selector),
    );
    // The most specific policy wins: a workload selector over the namespace's over the mesh's.
    applies.sort((a, b) => rank(b, pods.namespace) - rank(a, pods.namespace));
    return applies[0]?.spec.mtls?.mode === 'STRICT';
  }

  private service(host: string): Any | undefined {
    return this.of('Service').find((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === host);
  }

  private podSet(d: Any): PodSet {
    const ns = d.metadata.namespace ?? 'default';
    const template = d.spec.template;
    const labels: Record<string, string> = template.metadata?.labels ?? {};
    const inject = labels['sidecar.istio.io/inject'] ?? template.metadata?.annotations?.['sidecar.istio.io/inject'];
    const sidecar = inject === 'true' || (inject !== 'false' && this.cluster.injectedNamespaces.includes(ns));
    const containers: Any[] = template.spec.containers ?? [];
    const serving = containers.find((c) => (c.command ?? []).includes('tensorflow_model_server')) ?? containers[0];
    const args: string[] = serving?.args ?? [];
    const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
    const grpcPort = Number(flag('port') ?? 8500);
    const restPort = Number(flag('rest_api_port') ?? 0);
    const listeners = new Map<number, Protocol | 'other'>();
    const portNames = new Map<string, number>();
    for (const c of containers) {
      for (const p of c.ports ?? []) {
        const isServing = c === serving;
        listeners.set(p.containerPort, isServing && p.containerPort === grpcPort ? 'grpc' : isServing && p.containerPort === restPort ? 'rest' : 'other');
        if (p.name) portNames.set(p.name, p.containerPort);
      }
    }
    return {
      namespace: ns,
      deployment: d.metadata.name,
      labels,
      replicas: d.spec.replicas ?? 1,
      sidecar,
      listeners,
      portNames,
      modelVersions: this.modelVersions(ns, template.spec, args),
      image: serving?.image ?? '',
    };
  }

  /** The versions TF Serving loads: `specific { versions: N }` in the mounted models.config, else none known. */
  private modelVersions(namespace: string, podSpec: Any, args: string[]): number[] {
    const maps = new Set((podSpec.volumes ?? []).filter((v: Any) => v.configMap).map((v: Any) => v.configMap.name));
    const config = this.of('ConfigMap').find((c) => c.metadata.namespace === namespace && maps.has(c.metadata.name) && c.data?.['models.config']);
    const text: string | undefined = config?.data['models.config'];
    if (text) return [...text.matchAll(/versions:\s*(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const base = args.find((a) => a.startsWith('--model_base_path='));
    const tail = base?.split('/').pop();
    return tail && /^\d+$/.test(tail) ? [Number(tail)] : [];
  }
}

function rank(p: Any, namespace: string): number {
  if (p.metadata.namespace === namespace && p.spec.selector) return 2;
  return p.metadata.namespace === namespace ? 1 : 0;
}

const whole = (refused: Refusal): Hit => ({ percent: 100, refused });

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const gatewayIdentity = (cluster: Cluster) => principal(`${cluster.gateway.namespace}/${cluster.gateway.serviceAccount}`);

/** The path and content type a request carries. */
export function requestOf(caller: Caller): { path: string; contentType: string } {
  return caller.protocol === 'grpc'
    ? { path: caller.path ?? '/tensorflow.serving.PredictionService/Predict', contentType: 'application/grpc' }
    : { path: caller.path ?? '/v1/models/model:predict', contentType: 'application/json' };
}

function stringMatch(m: Any | undefined, value: string): boolean {
  if (!m) return true;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.regex !== undefined) return new RegExp(`^(?:${m.regex})$`).test(value);
  return true;
}

function routeMatches(route: Any, caller: Caller): boolean {
  const conditions: Any[] | undefined = route.match;
  if (!conditions || conditions.length === 0) return true;
  const { path, contentType } = requestOf(caller);
  const headers: Record<string, string> = { 'content-type': contentType };
  return conditions.some(
    (c) =>
      stringMatch(c.uri, path) &&
      (c.port === undefined || c.port === caller.port) &&
      Object.entries(c.headers ?? {}).every(([name, m]) => headers[name.toLowerCase()] !== undefined && stringMatch(m as Any, headers[name.toLowerCase()]!)),
  );
}

function principalMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/** One AuthorizationPolicy rule; `when` conditions and unknown source fields never match (safe for ALLOW). */
function ruleMatches(rule: Any, principal: string | undefined, port: number): boolean {
  if (rule.when) return false;
  const from: Any[] = rule.from ?? [];
  const fromOk =
    from.length === 0 ||
    from.some(({ source: s = {} }: Any) =>
      Object.keys(s).every((k) => ['principals', 'namespaces', 'notPrincipals', 'notNamespaces'].includes(k)) &&
      (!s.principals || (principal !== undefined && s.principals.some((p: string) => principalMatches(p, principal)))) &&
      (!s.notPrincipals || !(principal !== undefined && s.notPrincipals.some((p: string) => principalMatches(p, principal)))) &&
      (!s.namespaces || (principal !== undefined && s.namespaces.some((n: string) => principalMatches(n, principal.split('/')[2]!)))) &&
      (!s.notNamespaces || !(principal !== undefined && s.notNamespaces.some((n: string) => principalMatches(n, principal.split('/')[2]!)))),
    );
  const to: Any[] = rule.to ?? [];
  const toOk = to.length === 0 || to.some(({ operation: o = {} }: Any) => !o.ports || o.ports.includes(String(port)));
  return fromOk && toOk;
}
