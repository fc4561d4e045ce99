import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { HorizontalPodAutoscaler } from './types.js';

/** CPU-based autoscaling for versions whose profile asks for it (Flagger copies it for the primary). */
export function horizontalPodAutoscaler(model: Model): HorizontalPodAutoscaler[] {
  return model.versions.flatMap((v) => {
    const scaling = v.profile.autoscaling;
    if (!scaling) return [];
    const hpa: HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(model, v.deployment, v.selector),
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
  });
}
