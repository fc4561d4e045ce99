/**
 * Tiny service plans for unit tests of the checks and emitters: a minimal spec, patched by the
 * test, through the real normalizer (so the plan is one servec could produce), then tweaked.
 */
import type { CheckContext, ReportOptions } from '../../src/checks/context.js';
import { normalize } from '../../src/compiler/normalize.js';
import type { ModelService } from '../../src/compiler/spec.gen.js';
import type { ServicePlan, SpecPath } from '../../src/plan/index.js';

export type SpecPatch = Partial<ModelService['spec']>;

export function minimalSpec(patch: SpecPatch = {}): ModelService {
  return {
    apiVersion: 'servec.dev/v1alpha1',
    kind: 'ModelService',
    metadata: { name: 'resnet', namespace: 'models' },
    spec: {
      storage: { uri: 's3://ml-models/resnet', credentials: { secret: { name: 's3-creds' } } },
      versions: [{ name: 'v1', modelVersion: 1 }],
      ...patch,
    },
  };
}

/** A plan from the minimal spec with `patch` applied to its spec, then changed by `tweak`. */
export function planOf(patch: SpecPatch = {}, tweak: (plan: ServicePlan) => void = () => {}): ServicePlan {
  const plan = normalize(minimalSpec(patch));
  tweak(plan);
  return plan;
}

export interface Reported {
  code: string;
  /** The path as dotted segments, e.g. spec.versions.1.name. */
  path: string;
  message: string;
  labels: string[];
}

/** Runs one check on a plan and returns what it reports. */
export function reports(check: (ctx: CheckContext) => void, plan: ServicePlan): Reported[] {
  const found: Reported[] = [];
  check({
    plan,
    report(code, message, path: SpecPath, options: ReportOptions = {}) {
      found.push({ code, path: path.join('.'), message, labels: (options.labels ?? []).map((l) => l.path.join('.')) });
    },
  });
  return found;
}
