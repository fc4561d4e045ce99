import { parseImage } from '../image.js';
import type { Check } from './context.js';

const GPU_TAG = /gpu/i;


/** A GPU profile needs a GPU build of TF Serving, and a GPU build needs a GPU; one replica has no budget. */
export const resources: Check = ({ model, report }) => {
  const warnedProfiles = new Set<string>();
  for (const v of model.versions) {
    const gpuImage = GPU_TAG.test(parseImage(v.image).tag ?? '');
    const path = ['spec', 'versions', v.index, 'image'];
    if (v.profile.gpu > 0 && !gpuImage) {
      report('SV209', `version "${v.name}" asks for ${v.profile.gpu} GPU(s) (profile "${v.profile.name}") but ${v.image} is not a GPU image`, path, {
        hint: 'use a GPU build such as tensorflow/serving:2.20.0-gpu, or a profile without gpu',
      });
    }
    if (v.profile.gpu === 0 && gpuImage) {
      report('SV210', `version "${v.name}" runs the GPU image ${v.image} on profile "${v.profile.name}", which has no GPU`, path, {
        hint: 'set gpu: 1 (or more) in the profile, or use a CPU image',
      });
    }
    if (v.profile.replicas === 1 && !v.profile.autoscaling && !warnedProfiles.has(v.profile.name)) {
      warnedProfiles.add(v.profile.name);
      const at = ['spec', 'profiles', v.profile.name, 'replicas'];
      report('SV302', `profile "${v.profile.name}" runs a single replica: a node drain or a crash takes the version offline, and no disruption budget can protect it`, at, {
        hint: 'set replicas: 2 or more (servec then adds a PodDisruptionBudget and spreads the pods)',
      });
    }
  }
};

/** An autoscaler's maximum is at least its minimum (the profile's replicas). */
export const autoscaling: Check = ({ spec, report }) => {
  for (const [name, profile] of Object.entries(spec.spec.profiles ?? {})) {
    const max = profile?.autoscaling?.maxReplicas;
    const min = profile?.replicas ?? 2;
    if (max !== undefined && max < min) {
      report('SV220', `profile "${name}" scales between ${min} replicas and a maximum of ${max}`, ['spec', 'profiles', name, 'autoscaling', 'maxReplicas'], {
        hint: `raise maxReplicas to ${min} or more, or lower replicas (the autoscaler's minimum)`,
      });
    }
  }
};

/** Images pinned to a version: `latest` or no tag changes under you. */
export const images: Check = ({ spec, report }) => {
  spec.spec.versions.forEach((v, i) => {
    if (v.image !== undefined) unpinned(v.image, ['spec', 'versions', i, 'image']);
  });
  const downloader = spec.spec.storage.downloaderImage;
  if (downloader !== undefined) unpinned(downloader, ['spec', 'storage', 'downloaderImage']);

  function unpinned(image: string, path: Array<string | number>): void {
    const { tag, digest } = parseImage(image);
    if (digest !== undefined) return;
    if (tag === undefined || tag === 'latest') {
      report('SV301', `image ${image} is ${tag ? 'tagged latest' : 'not tagged'}: what runs changes without the spec changing`, path, {
        hint: 'pin a version tag (e.g. tensorflow/serving:2.20.0) or a digest',
      });
    }
  }
};

/** The gRPC and REST ports differ. */
export const ports: Check = ({ model, report }) => {
  if (model.ports.grpc === model.ports.rest) {
    report('SV219', `the gRPC and REST ports are both ${model.ports.grpc}`, ['spec', 'ports', 'rest'], {
      hint: 'TF Serving cannot listen for both on one port; the defaults are 8500 (gRPC) and 8501 (REST)',
    });
  }
};
