import { closest } from '../diagnostics/suggest.js';
import type { Check } from './context.js';

/** Version names and model versions are unique; profiles exist; flagger mode runs exactly one version. */
export const versions: Check = ({ plan, report }) => {
  const byName = new Map<string, number>();
  const byModelVersion = new Map<number, number>();
  plan.versions.forEach((v, i) => {
    const earlier = byName.get(v.name);
    if (earlier !== undefined) {
      report('SV203', `version name "${v.name}" is used twice (spec.versions[${earlier}] and [${i}])`, [...v.origin.path, 'name'], {
        labels: [{ path: [...plan.versions[earlier]!.origin.path, 'name'], message: 'first used here' }],
        hint: 'each version needs its own name: it names its Deployment and its DestinationRule subset',
      });
    } else byName.set(v.name, i);
    const same = byModelVersion.get(v.modelVersion.value);
    if (same !== undefined) {
      report('SV204', `model version ${v.modelVersion.value} is served by two versions (spec.versions[${same}] and [${i}])`, v.modelVersion.origin.path, {
        labels: [{ path: plan.versions[same]!.modelVersion.origin.path, message: `model version ${v.modelVersion.value} is also served by version "${plan.versions[same]!.name}"` }],
        hint: 'two pod sets serving the same model directory split traffic to nothing new; remove one, or point it at another modelVersion',
      });
    } else byModelVersion.set(v.modelVersion.value, i);
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
