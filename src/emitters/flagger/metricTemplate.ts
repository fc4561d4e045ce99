import type { Emitter, MetricTemplate } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** The Prometheus queries behind the Canary's checks that Flagger has no built-in for. */
export const metricTemplate: Emitter<MetricTemplate> = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'MetricTemplate',
  when: { mode: 'flagger' },
  emit: (plan) =>
    (plan.flagger?.checks ?? []).flatMap(({ template }) =>
      template
        ? [
            {
              apiVersion: 'flagger.app/v1beta1' as const,
              kind: 'MetricTemplate' as const,
              metadata: meta(plan, template.name),
              spec: { provider: { type: 'prometheus' as const, address: template.prometheus }, query: template.query },
            },
          ]
        : [],
    ),
};
