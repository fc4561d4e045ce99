import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { PodDisruptionBudget } from './types.js';

/**
 * Keeps all but one pod of a version running through node drains, when it has more than one.
 * In flagger mode the serving pods are Flagger's `<name>-primary`, so the budget selects those.
 */
export function podDisruptionBudget(model: Model): PodDisruptionBudget[] {
  return model.versions
    .filter((v) => v.profile.replicas > 1)
    .map((v) => {
      const flagger = model.mode === 'flagger';
      const name = flagger ? `${model.name}-primary` : v.deployment;
      return {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(model, name, flagger ? {} : v.selector),
        spec: { maxUnavailable: 1, selector: { matchLabels: flagger ? { app: name } : v.selector } },
      };
    });
}
