import type { Image } from '../plan/index.js';
import type { Check } from './context.js';

const GPU_TAG = /gpu/i;

/** A GPU profile needs a GPU build of TF Serving, and a GPU build needs a GPU; one replica has no budget. */
export const resources: Check = ({ plan, report }) => {
  const warnedProfiles = new Set<string>();
  for (const v of plan.versions) {
    // A profile that does not exist is SV212's to report; judging its made-up defaults only adds noise.
    if (v.profile.defined === 'missing') continue;
    const gpuImage = GPU_TAG.test(v.image.tag ?? '');
    const path = v.image.origin.path;
    if (v.profile.gpu > 0 && !gpuImage) {
      report('SV209', `version "${v.name}" asks for ${v.profile.gpu} GPU(s) (profile "${v.profile.name}") but ${v.image.reference} is not a GPU image`, path, {
        hint: 'use a GPU build such as tensorflow/serving:2.20.0-gpu, or a profile without gpu',
      });
    }
    if (v.profile.gpu === 0 && gpuImage) {
      report('SV210', `version "${v.name}" runs the GPU image ${v.image.reference} on profile "${v.profile.name}", which has no GPU`, path, {
        hint: 'set gpu: 1 (or more) in the profile, or use a CPU image',
      });
    }
    if (v.profile.replicas === 1 && !v.profile.autoscaling && !warnedProfiles.has(v.profile.name)) {
      warnedProfiles.add(v.profile.name);
      report('SV302', `profile "${v.profile.name}" runs a single replica: a node drain or a crash takes the version offline, and no disruption budget can protect it`, [...v.profile.origin.path, 'replicas'], {
        hint: 'set replicas: 2 or more (servec then adds a PodDisruptionBudget and spreads the pods)',
      });
    }
  }
};

/** An autoscaler's maximum is at least its minimum (the profile's replicas). */
export const autoscaling: Check = ({ plan, report }) => {
  for (const profile of plan.profiles) {
    const max = profile.autoscaling?.maxReplicas;
    const min = profile.replicas;
    if (max !== undefined && max < min) {
      report('SV220', `profile "${profile.name}" scales between ${min} replicas and a maximum of ${max}`, [...profile.origin.path, 'autoscaling', 'maxReplicas'], {
        hint: `raise maxReplicas to ${min} or more, or lower replicas (the autoscaler's minimum)`,
      });
    }
  }
};

/** Images pinned to a version: `latest` or no tag changes under you. Defaults are servec's to pin. */
export const images: Check = ({ plan, report }) => {
  for (const image of [...plan.versions.map((v) => v.image), plan.storage.downloader]) if (image.origin.given) unpinned(image);

  function unpinned({ reference, tag, digest, origin }: Image): void {
    if (digest !== undefined) return;
    if (tag === undefined || tag === 'latest') {
      report('SV301', `image ${reference} is ${tag ? 'tagged latest' : 'not tagged'}: what runs changes without the spec changing`, origin.path, {
        hint: 'pin a version tag (e.g. tensorflow/serving:2.20.0) or a digest',
      });
    }
  }
};

/** The gRPC and REST ports differ. */
export const ports: Check = ({ plan, report }) => {
  if (plan.ports.grpc.port === plan.ports.rest.port) {
    report('SV219', `the gRPC and REST ports are both ${plan.ports.grpc.port}`, plan.ports.origin.rest.path, {
      hint: 'TF Serving cannot listen for both on one port; the defaults are 8500 (gRPC) and 8501 (REST)',
    });
  }
};
