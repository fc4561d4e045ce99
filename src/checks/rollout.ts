import type { ServicePlan } from '../plan/index.js';
import type { Check, CheckContext } from './context.js';

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
  if (protocol === 'rest' && f.metrics === 'flagger-builtin' && plan.slo.successRate !== undefined) {
    report('SV322', "the REST canary's success rate comes from Flagger's built-in request-success-rate, which counts every non-5xx status as a success: a canary answering 403 (an authorization denial) or 400 to every call passes", at.metrics.path, {
      hint: 'use metrics: servec, which counts only 2xx and 3xx (and the clientErrors you declare)',
    });
  }
  const version = plan.versions[0];
  if (version && f.progressDeadlineOrigin.given && version.progressDeadlineSeconds < version.minimumProgressSeconds) {
    const download = version.minimumProgressSeconds - version.profile.startupSeconds;
    report('SV243', `progressDeadlineSeconds ${version.progressDeadlineSeconds} is shorter than the canary may take to start (${download > 0 ? `${download} s for the model download + ` : ''}${version.profile.startupSeconds} s startup budget): a slow model load would roll back`, f.progressDeadlineOrigin.path, {
      hint: `set progressDeadlineSeconds to at least ${version.minimumProgressSeconds}, or leave it out to take the default derived from the profile; a faster model may lower profiles.${version.profile.name}.startupSeconds`,
    });
  }
  loadTest(f.loadTest, report);
  const other = f.uncanaried;
  const ports = f.loadTest && !f.loadTest.built ? [...f.loadTest.command.matchAll(/:(\d+)(?=[\s/]|$)/g)].map((m) => Number(m[1])) : [];
  if (other && ports.includes(other.port) && !ports.includes(plan.ports[protocol].port)) {
    report('SV323', `the load test calls the ${other.protocol} port ${other.port}, but the analysis measures ${protocol}: the metrics get no requests and the analysis fails for want of data`, f.loadTest!.commandOrigin.path, {
      hint: `send the load to the ${protocol} port ${plan.ports[protocol].port}, or set rollout.flagger.protocol: ${other.protocol}`,
    });
  }
};

/** A load test that sends requests a model answers, from a tester the mesh lets in. */
function loadTest(t: NonNullable<ServicePlan['flagger']>['loadTest'], report: CheckContext['report']): void {
  if (!t) return;
  const at = t.origin.path;
  if (t.built?.protosetMissing) {
    report('SV241', 'the gRPC load test needs TF Serving\'s proto definitions: TF Serving has no server reflection, so ghz cannot find the service without them', at, {
      at: 'key',
      hint: 'set loadTest.protoset to a descriptor set of tensorflow_serving/apis/prediction_service.proto and model_service.proto inside the load tester, or write loadTest.command',
    });
  }
  if (t.request !== undefined && !isJson(t.request.text)) {
    report('SV242', 'loadTest.request is not JSON; hey and ghz send it as the request body', t.request.origin.path, { hint: 'write the request as JSON text, e.g. \'{"instances": [[1.0, 2.0]]}\'' });
  }
  if (t.requestFileOrigin) {
    report('SV218', 'loadTest.request and loadTest.requestFile both give the request; the load test sends one', t.requestFileOrigin.path, {
      at: 'key',
      hint: 'keep request for a small JSON body, or requestFile for a file in the load tester',
    });
  }
  if (t.built && t.built.call !== 'predict') {
    report('SV320', `the load test only asks for the model's status (${t.built.protocol === 'grpc' ? 'ModelService/GetModelStatus' : 'GET /v1/models/MODEL'}), so the analysis measures no inference`, at, {
      at: 'key',
      hint: 'set loadTest.request to a sample prediction request',
    });
  }
  if (!t.built && /(^|[\s;&|])ghz\s/.test(t.command) && !/(^|\s)(-d|-D|--data|--data-file)(\s|=)/.test(t.command)) {
    report('SV321', 'the load test runs ghz without request data (-d or -D): TF Serving answers INVALID_ARGUMENT (missing ModelSpec) to every call', t.commandOrigin.path, {
      hint: 'pass a request with -d \'{"model_spec": {"name": "MODEL"}, ...}\', or leave out command and set loadTest.request',
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
