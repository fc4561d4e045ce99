import type { Model } from '../compiler/model.js';
import { exposed, meta, servicePort } from './meta.js';
import type { Service } from './types.js';

/** One Service in front of every version (selected by `app` only). Flagger owns it in flagger mode. */
export function service(model: Model): Service[] {
  if (model.mode === 'flagger') return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(model, model.names.service, { app: model.name }),
      spec: {
        type: 'ClusterIP',
        selector: { app: model.name },
        ports: exposed(model).map((protocol) => {
          const port = servicePort(model, protocol);
          return { ...port, targetPort: port.name, protocol: 'TCP' };
        }),
      },
    },
  ];
}
