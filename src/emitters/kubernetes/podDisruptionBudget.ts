import type { Emitter, PodDisruptionBudget } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** Keeps all but one serving pod of a version running through node drains, when it has more than one. */
export const podDisruptionBudget: Emitter<PodDisruptionBudget> = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  emit: (plan) =>
    plan.versions
      .filter((v) => v.profile.replicas > 1)
      .map(({ serving }) => ({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(plan, serving.name, serving.labels),
        spec: { maxUnavailable: 1, selector: { matchLabels: serving.selector } },
      })),
};
