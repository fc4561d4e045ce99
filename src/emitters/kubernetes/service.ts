import type { Emitter, Service } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** One Service in front of every version. Flagger writes its own Services in flagger mode. */
export const service: Emitter<Service> = {
  apiVersion: 'v1',
  kind: 'Service',
  when: { mode: 'manual' },
  emit: (plan) => [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(plan, plan.names.service, plan.selectors.service),
      spec: {
        type: 'ClusterIP',
        selector: plan.selectors.service,
        ports: plan.exposed.map((protocol) => {
          const port = plan.ports[protocol];
          return { ...port, targetPort: port.name, protocol: 'TCP' };
        }),
      },
    },
  ],
};
