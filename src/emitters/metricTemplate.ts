import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { MetricTemplate } from './types.js';

/** The Prometheus queries behind the Canary's checks that Flagger has no built-in for. */
export function metricTemplate(model: Model): MetricTemplate[] {
  return (model.flagger?.checks ?? []).flatMap((check) =>
    check.template
      ? [
          {
            apiVersion: 'flagger.app/v1beta1' as const,
            kind: 'MetricTemplate' as const,
            metadata: meta(model, check.template.name),
            spec: { provider: { type: 'prometheus' as const, address: check.template.prometheus }, query: check.template.query },
          },
        ]
      : [],
  );
}
