import type { Model } from '../compiler/model.js';
import { exposed, meta, servicePort } from './meta.js';
import type { HttpRoute, VirtualService } from './types.js';

/** gRPC requests of TF Serving's API all start with this path. */
export const GRPC_PREFIX = '/tensorflow.serving.';

/** Splits the gateway's traffic between versions by weight. Flagger owns this object in flagger mode. */
export function virtualService(model: Model): VirtualService[] {
  if (model.mode === 'flagger') return [];
  const protocols = exposed(model);
  const routes: HttpRoute[] = protocols.map((protocol) => ({
    name: protocol,
    // With both APIs on one gateway port, gRPC is told apart by its path; REST takes the rest.
    ...(protocol === 'grpc' && protocols.length > 1 && { match: [{ uri: { prefix: GRPC_PREFIX } }] }),
    route: model.versions
      .filter((v) => v.weight > 0)
      .map((v) => ({
        destination: { host: model.names.serviceHost, subset: v.name, port: { number: servicePort(model, protocol).port } },
        weight: v.weight,
      })),
  }));
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(model, model.names.virtualService),
      spec: { hosts: model.gateway.hosts, gateways: [model.gateway.name], http: routes },
    },
  ];
}
