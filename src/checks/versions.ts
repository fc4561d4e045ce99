import { closest } from '../diagnostics/suggest.js';
import type { Check } from './context.js';

/**
 * Version names are unique; two versions differ in model version, image or profile (the same model
 * on a new image or profile is a legitimate canary); profiles exist; flagger mode runs one version.
 */
export const versions: Check = ({ plan, report }) => {
  const byName = new Map<string, number>();
  const byRuntime = new Map<string, number>();
  plan.versions.forEach((v, i) => {
    const earlier = byName.get(v.name);
    if (earlier !== undefined) {
      report('SV203', `version name "${v.name}" is used twice (spec.versions[${earlier}] and [${i}])`, [...v.origin.path, 'name'], {
        labels: [{ path: [...plan.versions[earlier]!.origin.path, 'name'], message: 'first used here' }],
        hint: 'each version needs its own name: it names its Deployment and its DestinationRule subset',
      });
    } else byName.set(v.name, i);
    const runtime = JSON.stringify([v.modelVersion.value, v.image.reference, v.profile.name]);
    const same = byRuntime.get(runtime);
    if (same !== undefined) {
      const other = plan.versions[same]!;
      report('SV204', `model version ${v.modelVersion.value} is served twice by the same image ${v.image.reference} on the same profile "${v.profile.name}" (spec.versions[${same}] and [${i}])`, v.modelVersion.origin.path, {
        labels: [{ path: other.modelVersion.origin.path, message: `the same model, image and profile as version "${other.name}"` }],
        hint: 'two identical pod sets split traffic to nothing new: remove one, or change its modelVersion, image or profile',
      });
    } else byRuntime.set(runtime, i);
    if (v.profile.defined === 'missing') {
      const known = plan.profiles.map((p) => p.name);
      const guess = closest(v.profile.name, known);
      report('SV212', `version "${v.name}" runs on profile "${v.profile.name}", which spec.profiles does not define`, v.profileOrigin.path, {
        hint: guess ? `did you mean "${guess}"?` : known.length ? `profiles are: ${known.join(', ')}` : 'define it under spec.profiles',
      });
    }
  });
  if (plan.mode === 'flagger' && plan.versions.length !== 1) {
    report('SV207', `a flagger rollout runs exactly one version, but spec.versions lists ${plan.versions.length}`, plan.versionsOrigin.path, {
      at: 'key',
      hint: 'list only the version you want; to roll out a new one, change its modelVersion or image and Flagger canaries the change',
    });
  }
};
