import type { Check } from './context.js';

/** Flagger settings fit the strategy and the exposed APIs; a flagger rollout has SLOs to judge by. */
export const rollout: Check = ({ plan, report }) => {
  const f = plan.flagger;
  if (!f) {
    if (plan.flaggerSettings) {
      report('SV218', 'spec.rollout.flagger is set, but the rollout strategy is manual', plan.flaggerSettings.path, {
        at: 'key',
        hint: 'set spec.rollout.strategy: flagger, or remove the flagger settings',
      });
    }
    return;
  }
  const at = f.origins;
  if (at.stepWeights.given && (at.stepWeight.given || at.maxWeight.given)) {
    report('SV218', 'stepWeights and stepWeight/maxWeight both shape the rollout; Flagger uses only one', at.stepWeights.path, {
      at: 'key',
      hint: 'keep stepWeights for explicit steps, or stepWeight with maxWeight for even steps',
    });
  }
  if ('stepWeight' in f.steps && f.steps.stepWeight > f.steps.maxWeight) {
    report('SV218', `stepWeight ${f.steps.stepWeight} is larger than maxWeight ${f.steps.maxWeight}`, (at.stepWeight.given ? at.stepWeight : at.maxWeight).path, {
      hint: 'the first step would overshoot the maximum; lower stepWeight or raise maxWeight',
    });
  }
  if (plan.gateway.hosts.includes('*')) {
    report('SV221', "the Canary routes spec.gateway.hosts for in-mesh callers too (gateways: [gateway, mesh]), and Istio rejects the host '*' on a route bound to the mesh", plan.gateway.hostsOrigin.path, {
      at: plan.gateway.hostsOrigin.given ? 'value' : 'key',
      hint: `name the hosts clients use, e.g. spec.gateway.hosts: [${plan.name}.example.com]`,
    });
  }
  const protocol = f.protocol;
  if (!plan.exposed.includes(protocol)) {
    report('SV211', `the canary analysis measures ${protocol}, but spec.protocols does not expose ${protocol}`, at.protocol.path, {
      hint: `add ${protocol} to spec.protocols, or set rollout.flagger.protocol to ${protocol === 'grpc' ? 'rest' : 'grpc'}`,
    });
  }
  if (plan.slo.successRate === undefined && !plan.slo.latency) {
    report('SV303', 'this flagger rollout has no SLOs, so the analysis checks nothing and promotes whatever is deployed', at.rollout.path, {
      at: 'key',
      hint: 'add spec.slo.successRate and spec.slo.latency.maxMs',
    });
  }
  if (protocol === 'grpc' && f.metrics === 'flagger-builtin' && plan.slo.successRate !== undefined) {
    report('SV304', "the gRPC canary's success rate comes from Flagger's built-in request-success-rate, which only sees HTTP 5xx; failed gRPC calls count as successes", at.metrics.path, {
      hint: 'use metrics: servec, which checks grpc_response_status',
    });
  }
};
