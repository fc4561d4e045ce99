import type { Emitter, VirtualService } from '../shared/types.js';
import { meta } from '../shared/meta.js';
import { protocolMatch } from '../shared/match.js';

/**
 * Flagger routes one port per Canary (fluxcd/flagger#1087): its VirtualService has a single HTTP route
 * to the canaried port. The other exposed API stays reachable from the gateway through this route of
 * servec's own, to Flagger's primary Service; the two routes match disjoint requests (by content type),
 * so their merge order on the gateway does not matter. In-mesh callers reach that API on the apex
 * Service's port, which Flagger copies from the container port as plain TCP (see Flagger.uncanaried).
 * The canary does not get this API's traffic: the analysis judges the canaried one.
 */
export const flaggerPrimaryRoute: Emitter<VirtualService> = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  when: { mode: 'flagger', routing: 'istio' },
  emit(plan) {
    const other = plan.flagger?.uncanaried;
    if (!other) return [];
    return [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta(plan, plan.names.flaggerPrimaryRoute),
        spec: {
          hosts: plan.gateway.hosts,
          gateways: [plan.gateway.reference],
          http: [
            {
              name: `${other.protocol}-primary`,
              match: [protocolMatch(other.protocol)],
              route: [{ destination: { host: `${plan.names.flaggerPrimary}.${plan.namespace}.svc.cluster.local`, port: { number: other.port } } }],
            },
          ],
        },
      },
    ];
  },
};
