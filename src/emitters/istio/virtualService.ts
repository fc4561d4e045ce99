import type { Protocol, ServicePlan } from '../../plan/index.js';
import type { Emitter, HttpMatch, HttpRoute, VirtualService } from '../shared/types.js';
import { protocolMatch } from '../shared/match.js';
import { meta } from '../shared/meta.js';

/**
 * What tells the service's requests apart on a shared host: gRPC by its content type (every gRPC
 * call, health checks included), REST by the model's own paths, so two services on one gateway
 * host do not take each other's REST calls.
 */
function gatewayMatch(plan: ServicePlan, protocol: Protocol): HttpMatch[] {
  if (protocol === 'grpc') return [protocolMatch('grpc')];
  const base = `/v1/models/${plan.model.name}`;
  return [{ uri: { exact: base } }, { uri: { prefix: `${base}/` } }, { uri: { prefix: `${base}:` } }];
}

/** The weighted destinations of one protocol; versions at weight 0 get no route. */
function split(plan: ServicePlan, protocol: Protocol): HttpRoute['route'] {
  return plan.versions
    .filter((v) => v.weight > 0)
    .map((v) => ({ destination: { host: plan.names.serviceHost, subset: v.name, port: { number: plan.ports[protocol].port } }, weight: v.weight }));
}

/**
 * Splits traffic between versions by weight for every caller: one VirtualService for in-mesh callers
 * of the Service host (bound to `mesh`), one for the gateway's hosts (Istio refuses `*` bound to
 * `mesh`, hence two). Flagger writes its own in flagger mode.
 */
export const virtualService: Emitter<VirtualService> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  when: { mode: 'manual', routing: 'istio' },
  emit: (plan) => [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(plan, plan.names.virtualService),
      spec: {
        hosts: [plan.names.serviceHost],
        gateways: ['mesh'],
        http: plan.exposed.map((protocol) => ({ name: protocol, match: [{ port: plan.ports[protocol].port }], route: split(plan, protocol) })),
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(plan, plan.names.gatewayRoutes),
      spec: {
        hosts: plan.gateway.hosts,
        gateways: [plan.gateway.reference],
        http: plan.exposed.map((protocol) => ({ name: protocol, match: gatewayMatch(plan, protocol), route: split(plan, protocol) })),
      },
    },
  ],
};
