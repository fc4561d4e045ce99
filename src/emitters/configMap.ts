import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { ConfigMap } from './types.js';

/** One immutable ConfigMap per version with TF Serving's config files; its name carries a content hash. */
export function configMap(model: Model): ConfigMap[] {
  return model.versions.map((version) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(model, version.configMap, version.selector),
    immutable: true,
    data: version.configData,
  }));
}
