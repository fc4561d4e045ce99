import type { Model } from '../compiler/model.js';
import { meta, servicePort } from './meta.js';
import type { Canary, CanaryWebhook } from './types.js';

/** The Flagger Canary that owns traffic in flagger mode: it targets the one Deployment servec emits. */
export function canary(model: Model): Canary[] {
  const f = model.flagger;
  if (!f) return [];
  const version = model.versions[0]!;
  const port = servicePort(model, f.protocol);
  const webhooks: CanaryWebhook[] = [];
  if (f.loadTest) {
    webhooks.push({ name: 'load-test', type: 'rollout', url: f.loadTest.url, timeout: '5s', metadata: { cmd: f.loadTest.command } });
  }
  if (f.promotionGate) webhooks.push({ name: 'confirm-promotion', type: 'confirm-promotion', url: f.promotionGate });
  return [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: meta(model, model.names.canary),
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: version.deployment },
        ...(version.profile.autoscaling && {
          autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: version.deployment },
        }),
        progressDeadlineSeconds: f.progressDeadlineSeconds,
        service: {
          name: model.names.service,
          port: port.port,
          portName: port.name,
          targetPort: port.port,
          appProtocol: port.appProtocol,
          gateways: [`${model.namespace}/${model.gateway.name}`],
          hosts: model.gateway.hosts,
          ...(model.security.mtls && { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' as const } } }),
        },
        analysis: {
          interval: f.interval,
          threshold: f.threshold,
          ...f.steps,
          metrics: f.checks.map((check) => ({
            name: check.name,
            interval: f.interval,
            thresholdRange: check.thresholdRange,
            ...(check.template && { templateRef: { name: check.template.name, namespace: model.namespace } }),
          })),
          ...(webhooks.length > 0 && { webhooks }),
        },
      },
    },
  ];
}
