import type { Check } from './context.js';

/** Flagger settings fit the strategy and the exposed APIs; a flagger rollout has SLOs to judge by. */
export const rollout: Check = ({ spec, model, report }) => {
  const r = spec.spec.rollout;
  const f = r?.flagger;
  if (model.mode !== 'flagger') {
    if (f) {
      report('SV218', 'spec.rollout.flagger is set, but the rollout strategy is manual', ['spec', 'rollout', 'flagger'], {
        at: 'key',
        hint: 'set spec.rollout.strategy: flagger, or remove the flagger settings',
      });
    }
    return;
  }
  if (f?.stepWeights && (f.stepWeight !== undefined || f.maxWeight !== undefined)) {
    report('SV218', 'stepWeights and stepWeight/maxWeight both shape the rollout; Flagger uses only one', ['spec', 'rollout', 'flagger', 'stepWeights'], {
      at: 'key',
      hint: 'keep stepWeights for explicit steps, or stepWeight with maxWeight for even steps',
    });
  }
  const step = f?.stepWeight ?? 10;
  const max = f?.maxWeight ?? 50;
  if (!f?.stepWeights && step > max) {
    report('SV218', `stepWeight ${step} is larger than maxWeight ${max}`, ['spec', 'rollout', 'flagger', f?.stepWeight !== undefined ? 'stepWeight' : 'maxWeight'], {
      hint: 'the first step would overshoot the maximum; lower stepWeight or raise maxWeight',
    });
  }
  const protocol = model.flagger!.protocol;
  if (!model.protocols[protocol]) {
    report('SV211', `the canary analysis measures ${protocol}, but spec.protocols does not expose ${protocol}`, ['spec', 'rollout', 'flagger', 'protocol'], {
      hint: `add ${protocol} to spec.protocols, or set rollout.flagger.protocol to ${protocol === 'grpc' ? 'rest' : 'grpc'}`,
    });
  }
  if (spec.spec.slo?.successRate === undefined && !spec.spec.slo?.latency) {
    report('SV303', 'this flagger rollout has no SLOs, so the analysis checks nothing and promotes whatever is deployed', ['spec', 'rollout'], {
      at: 'key',
      hint: 'add spec.slo.successRate and spec.slo.latency.maxMs',
    });
  }
  if (protocol === 'grpc' && f?.metrics === 'flagger-builtin' && spec.spec.slo?.successRate !== undefined) {
    report('SV304', "the gRPC canary's success rate comes from Flagger's built-in request-success-rate, which only sees HTTP 5xx; failed gRPC calls count as successes", ['spec', 'rollout', 'flagger', 'metrics'], {
      hint: 'use metrics: servec, which checks grpc_response_status',
    });
  }
};
