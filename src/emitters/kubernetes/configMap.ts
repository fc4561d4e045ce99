import type { ConfigMap, Emitter } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** One immutable ConfigMap per version with TF Serving's config files; its name carries a content hash. */
export const configMap: Emitter<ConfigMap> = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  emit: (plan) =>
    plan.versions.map((version) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(plan, version.configMap, version.selector),
      immutable: true,
      data: version.configData,
    })),
};
