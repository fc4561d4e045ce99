import type { Emitter, HorizontalPodAutoscaler } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/**
 * CPU-based autoscaling for versions whose profile asks for it, and in flagger mode a fixed count
 * (min = max) for the target, so that no applied `spec.replicas` scales an idle canary back up
 * (fluxcd/flagger#570, #1121, #1504). Flagger copies it for the primary.
 */
export const horizontalPodAutoscaler: Emitter<HorizontalPodAutoscaler> = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  emit: (plan) =>
    plan.versions.flatMap((v) => {
      const scaling = v.autoscaler;
      if (!scaling) return [];
      const hpa: HorizontalPodAutoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(plan, v.deployment, v.selector),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: v.deployment },
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          // A fixed count (min = max, Flagger's target without autoscaling) needs no metric.
          ...(scaling.targetCPUUtilization !== undefined && {
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCPUUtilization } },
              },
            ],
          }),
        },
      };
      return [hpa];
    }),
};
