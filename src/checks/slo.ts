import type { Check } from './context.js';

/** SLOs are read by Flagger's analysis only: written in a manual rollout they would be silently ignored. */
export const slo: Check = ({ plan, report }) => {
  if (plan.mode !== 'manual' || !plan.slo.origin.given) return;
  report('SV305', 'spec.slo has no effect in a manual rollout: only a flagger rollout checks a new version against the SLOs', plan.slo.origin.path, {
    at: 'key',
    hint: 'set spec.rollout.strategy: flagger to have the SLOs judge each rollout, or remove spec.slo',
  });
};
