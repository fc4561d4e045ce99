/**
 * Istio's documented semantics, reduced to what decides who answers a request: Gateway servers bound
 * to the gateway pods, VirtualServices bound to gateways or to `mesh` (istio/api
 * `virtual_service.proto`: no `gateways` means `mesh`), first matching HTTP route, relative weights,
 * DestinationRule subsets, plain load balancing over every ready pod a Service selects when no
 * VirtualService applies; then what each destination pod lets in (`admission.ts`).
 */
import { admission, principal, refuse, type Policies } from './admission.js';
import { fqdn, hostMatches, labelsMatch, labelText, routeMatches } from './match.js';
import { podSet, type PodSet } from './pods.js';
import type { Caller, Cluster, KObject, Protocol, Refusal } from './types.js';

type Any = Record<string, any>;

/** A request reaching one pod set with a share of the call (percent), or refused. */
export type Hit = { percent: number; pods: PodSet } | { percent: number; refused: Refusal };

export class Mesh {
  readonly pods: PodSet[];
  private readonly byKind = new Map<string, Any[]>();
  private readonly policies: Policies;

  constructor(
    objects: readonly KObject[],
    private readonly cluster: Cluster,
  ) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind) ?? [];
      list.push(o as Any);
      this.byKind.set(o.kind, list);
    }
    this.pods = this.of('Deployment').map((d) => podSet(d, this.of('ConfigMap'), this.of('HorizontalPodAutoscaler'), cluster.injectedNamespaces));
    this.policies = { peer: this.of('PeerAuthentication'), authorization: this.of('AuthorizationPolicy') };
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
    if (gw.servicePorts && !gw.servicePorts.includes(caller.port)) {
      return [whole(refuse('no-gateway-server', `the ${gw.name} gateway's Service exposes ports ${gw.servicePorts.join(', ')}, not ${caller.port}`))];
    }
    const bound = this.of('Gateway').filter(
      (g) =>
        labelsMatch(g.spec.selector, gw.labels) &&
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
    return this.destinations(chosen.r, chosen.vs.metadata.namespace, caller.port, gatewayIdentity(this.cluster), true, caller.protocol);
  }

  private fromMesh(caller: Extract<Caller, { kind: 'mesh' }>): Hit[] {
    const host = fqdn(caller.host, 'default');
    const service = this.service(host);
    if (!service) return [whole(refuse('no-service', `no Service answers to ${host}`))];
    const port = (service.spec.ports ?? []).find((p: Any) => p.port === caller.port);
    if (!port) return [whole(refuse('port-not-on-service', `Service ${service.metadata.name} has no port ${caller.port}`))];
    const sidecar = caller.sidecar ?? true;
    const identity = sidecar ? principal(caller.identity) : undefined;
    if (isTcp(port)) {
      // A port Istio treats as TCP (name prefix `tcp`, or appProtocol tcp) gets no HTTP routes: the
      // connection goes to the Service's own endpoints (istio.io "Protocol Selection").
      return this.endpoints(service, caller.port, undefined, identity, sidecar, caller.protocol, 100);
    }
    const vs = this.of('VirtualService').find(
      (v) =>
        (v.spec.gateways === undefined || v.spec.gateways.length === 0 || v.spec.gateways.includes('mesh')) &&
        (v.spec.hosts ?? []).some((h: string) => h !== '*' && fqdn(h, v.metadata.namespace) === host),
    );
    if (!vs) {
      // No VirtualService for mesh callers: round-robin over every ready pod the Service selects.
      return this.endpoints(service, caller.port, undefined, identity, sidecar, caller.protocol, 100);
    }
    const route = (vs.spec.http ?? []).find((r: Any) => routeMatches(r, caller));
    if (!route) return [whole(refuse('no-route', `VirtualService ${vs.metadata.name} has no route matching a ${caller.protocol} request on port ${caller.port}`))];
    return this.destinations(route, vs.metadata.namespace, caller.port, identity, sidecar, caller.protocol);
  }

  private destinations(route: Any, namespace: string, requestPort: number, identity: string | undefined, sidecar: boolean, protocol: Protocol): Hit[] {
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
      // A destination without a port takes the Service's only port, else the port the request arrived on:
      // the caller's, or the gateway's listener (istio pilot/pkg/networking/core/route/route.go,
      // GetDestinationCluster). A listener port the Service lacks makes a cluster that does not exist.
      const port = d.destination.port?.number ?? (ports.length === 1 ? ports[0]!.port : requestPort);
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
    const ready = this.pods.filter((p) => p.namespace === ns && p.replicas > 0 && labelsMatch(selector, p.labels));
    if (ready.length === 0) return [{ percent, refused: refuse('no-endpoints', `no ready pod of ${service.metadata.name}${subset ? ` subset ${subset}` : ''} (${labelText(selector)})`) }];
    const replicas = ready.reduce((a, p) => a + p.replicas, 0);
    const tlsMode: string | undefined = rule?.spec.trafficPolicy?.tls?.mode;
    return ready.map((pods) => {
      const share = (percent * pods.replicas) / replicas;
      const target = typeof servicePort.targetPort === 'string' ? pods.portNames.get(servicePort.targetPort) : (servicePort.targetPort ?? servicePort.port);
      const listener = target === undefined ? undefined : pods.listeners.get(target);
      if (listener === undefined) return { percent: share, refused: refuse('no-endpoints', `${pods.deployment} has no container port for Service port ${port}`) };
      if (listener !== protocol) return { percent: share, refused: refuse('wrong-protocol', `a ${protocol} request reaches ${pods.deployment}'s ${listener} port ${target}`) };
      const refusal = admission(this.policies, pods, identity, sidecar, tlsMode, target!);
      return refusal ? { percent: share, refused: refusal } : { percent: share, pods };
    });
  }

  private service(host: string): Any | undefined {
    return this.of('Service').find((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === host);
  }
}

const isTcp = (port: Any) => port.appProtocol === 'tcp' || (port.appProtocol === undefined && /^tcp(-|$)/.test(port.name ?? ''));

const whole = (refused: Refusal): Hit => ({ percent: 100, refused });

const gatewayIdentity = (cluster: Cluster) => principal(`${cluster.gateway.namespace}/${cluster.gateway.serviceAccount}`);
