import type { Check } from './context.js';

/** Weights name existing versions and add up to 100; flagger mode has no weights at all. */
export const traffic: Check = ({ plan, report }) => {
  const traffic = plan.traffic;
  const names = plan.versions.map((v) => v.name);
  if (plan.mode === 'flagger') {
    if (traffic) {
      report('SV205', 'spec.traffic sets weights, but in a flagger rollout Flagger decides the weights', traffic.origin.path, {
        at: 'key',
        hint: 'remove spec.traffic; shape the rollout with spec.rollout.flagger (stepWeight/maxWeight or stepWeights)',
      });
    }
    return;
  }
  if (!traffic) {
    if (names.length > 1) {
      report('SV215', `${names.length} versions run but spec.traffic does not say how to split requests between them`, plan.versionsOrigin.path, {
        at: 'key',
        hint: `add for example: traffic: {${names.map((n, i) => `${n}: ${i === 0 ? 100 : 0}`).join(', ')}}`,
      });
    }
    return;
  }
  let sum = 0;
  for (const { version, weight, origin } of traffic.weights) {
    sum += weight;
    if (!names.includes(version)) {
      report('SV202', `spec.traffic gives ${weight}% to "${version}", which is not a version in spec.versions`, origin.path, {
        at: 'key',
        hint: `versions are: ${names.join(', ')}`,
      });
    }
  }
  if (sum !== 100) {
    const parts = traffic.weights.map((w) => `${w.version} ${w.weight}`).join(' + ');
    report('SV201', `the traffic weights add up to ${sum}, not 100 (${parts})`, traffic.origin.path, {
      at: 'key',
      labels: traffic.weights.map((w) => ({ path: w.origin.path, message: `${w.weight} of the ${sum}` })),
      hint: sum < 100 ? `give the missing ${100 - sum} to a version` : `take ${sum - 100} away from a version`,
    });
  }
};
