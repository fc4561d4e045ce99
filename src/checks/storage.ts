import type { Check } from './context.js';

/** The S3 URI is well-formed, the download can reach the store, and native S3 access is only asked of images that have it. */
export const storage: Check = ({ plan, report }) => {
  const s = plan.storage;
  if (s.problem) {
    report('SV208', `"${s.uri}" is not a usable S3 URI: ${s.problem}`, s.origin.path, {
      hint: 'write s3://BUCKET/PREFIX, e.g. s3://ml-models-repository/resnet; the bucket is 3-63 lower-case letters, digits, dots and dashes',
    });
  }
  const downloads = plan.versions.some((v) => v.access.kind === 'download');
  if (downloads && s.meshBypass.requested === 'always' && s.meshBypass.storeInMesh) {
    report('SV311', 'the download bypasses the mesh (meshBypass: always) to reach a store inside the cluster: under STRICT mTLS the store refuses its plain text', s.meshBypass.origin.path, {
      hint: 'use meshBypass: auto (or never): the download then goes through the mesh, with a native sidecar started before it',
    });
  }
  const unable = plan.versions.filter((v) => !v.image.readsS3);
  if (s.access.requested === 'native' && unable.length > 0) {
    const which = unable.map((v) => `${v.image.reference} (version "${v.name}")`).join(', ');
    report('SV217', `storage.access is native, but ${which} cannot read s3:// (TF Serving 2.7 and later lost the S3 file system)`, s.access.origin.path, {
      hint: 'use access: download (or auto), which copies the model into a volume before the server starts',
    });
  }
};
