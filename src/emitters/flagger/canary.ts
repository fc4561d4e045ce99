import type { Canary, CanaryWebhook, Emitter } from '../shared/types.js';
import { meta } from '../shared/meta.js';
import { protocolMatch } from '../shared/match.js';

/** The Flagger Canary that owns traffic in flagger mode: it targets the one Deployment servec emits. */
export const canary: Emitter<Canary> = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  when: { mode: 'flagger', routing: 'istio' },
  emit(plan) {
    const f = plan.flagger;
    const version = plan.versions[0];
    if (!f || !version) return [];
    const port = plan.ports[f.protocol];
    const webhooks: CanaryWebhook[] = [];
    if (f.loadTest) {
      webhooks.push({ name: 'load-test', type: 'rollout', url: f.loadTest.url, timeout: '5s', metadata: { cmd: f.loadTest.command } });
    }
    if (f.promotionGate) webhooks.push({ name: 'confirm-promotion', type: 'confirm-promotion', url: f.promotionGate });
    return [
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: meta(plan, plan.names.canary),
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: version.deployment },
          ...(version.autoscaler && {
            autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: version.deployment },
          }),
          progressDeadlineSeconds: version.progressDeadlineSeconds,
          service: {
            name: plan.names.service,
            port: port.port,
            portName: port.name,
            targetPort: port.port,
            appProtocol: port.appProtocol,
            // With a second API, Flagger copies its container port onto its Services; the first gateway
            // not being `mesh` makes Flagger pin every destination to \`port\` (pkg/router/istio.go,
            // makeDestination), which the gateway needs: a destination without a port on a Service with
            // several takes the gateway's own listener port, which no Service has.
            ...(f.uncanaried && { portDiscovery: true }),
            // Listing a gateway stops Flagger adding \`mesh\` itself: list both so in-mesh callers see the split.
            gateways: [plan.gateway.reference, 'mesh'],
            hosts: plan.gateway.hosts,
            // Flagger's single route takes only the canaried API, leaving the other to servec's own route.
            ...(f.uncanaried && { match: [protocolMatch(f.protocol)] }),
            ...(plan.security.mtls && { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' as const } } }),
          },
          analysis: {
            interval: f.interval,
            threshold: f.threshold,
            ...f.steps,
            metrics: f.checks.map((check) => ({
              name: check.name,
              interval: f.interval,
              thresholdRange: check.thresholdRange,
              ...(check.template && { templateRef: { name: check.template.name, namespace: plan.namespace } }),
            })),
            ...(webhooks.length > 0 && { webhooks }),
          },
        },
      },
    ];
  },
};
