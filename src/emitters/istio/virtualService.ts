import type { Emitter, HttpRoute, VirtualService } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** gRPC requests of TF Serving's API all start with this path. */
const GRPC_PREFIX = '/tensorflow.serving.';

/** Splits the gateway's traffic between versions by weight. Flagger writes its own in flagger mode. */
export const virtualService: Emitter<VirtualService> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  when: { mode: 'manual', routing: 'istio' },
  emit(plan) {
    const protocols = plan.exposed;
    const routes: HttpRoute[] = protocols.map((protocol) => ({
      name: protocol,
      // With both APIs on one gateway port, gRPC is told apart by its path; REST takes the rest.
      ...(protocol === 'grpc' && protocols.length > 1 && { match: [{ uri: { prefix: GRPC_PREFIX } }] }),
      route: plan.versions
        .filter((v) => v.weight > 0)
        .map((v) => ({
          destination: { host: plan.names.serviceHost, subset: v.name, port: { number: plan.ports[protocol].port } },
          weight: v.weight,
        })),
    }));
    return [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta(plan, plan.names.virtualService),
        spec: { hosts: plan.gateway.hosts, gateways: [plan.gateway.name], http: routes },
      },
    ];
  },
};
