import type { Emitter, HorizontalPodAutoscaler } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** CPU-based autoscaling for versions whose profile asks for it (Flagger copies it for the primary). */
export const horizontalPodAutoscaler: Emitter<HorizontalPodAutoscaler> = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  emit: (plan) =>
    plan.versions.flatMap((v) => {
      const scaling = v.profile.autoscaling;
      if (!scaling) return [];
      const hpa: HorizontalPodAutoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(plan, v.deployment, v.selector),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: v.deployment },
          minReplicas: v.profile.replicas,
          maxReplicas: scaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCPUUtilization } },
            },
          ],
        },
      };
      return [hpa];
    }),
};
