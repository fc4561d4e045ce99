import { nativeS3Capable, parseS3Uri } from '../normalize.js';
import type { Check } from './context.js';

/** The S3 URI is well-formed, and native S3 access is only asked of images that have it. */
export const storage: Check = ({ spec, model, report }) => {
  const uri = spec.spec.storage.uri;
  if (!parseS3Uri(uri)) {
    report('SV208', `"${uri}" is not a usable S3 URI: ${s3Problem(uri)}`, ['spec', 'storage', 'uri'], {
      hint: 'write s3://BUCKET/PREFIX, e.g. s3://ml-models-repository/resnet; the bucket is 3-63 lower-case letters, digits, dots and dashes',
    });
  }
  const unable = model.versions.filter((v) => !nativeS3Capable(v.image));
  if (spec.spec.storage.access === 'native' && unable.length > 0) {
    const which = unable.map((v) => `${v.image} (version "${v.name}")`).join(', ');
    report('SV217', `storage.access is native, but ${which} cannot read s3:// (TF Serving 2.7 and later lost the S3 file system)`, ['spec', 'storage', 'access'], {
      hint: 'use access: download (or auto), which copies the model into a volume before the server starts',
    });
  }
};

function s3Problem(uri: string): string {
  if (!uri.startsWith('s3://')) return 'it must start with s3://';
  const rest = uri.slice(5);
  const bucket = rest.split('/')[0] ?? '';
  if (bucket.length < 3 || bucket.length > 63) return `the bucket name "${bucket}" must be 3 to 63 characters`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket) || bucket.includes('..')) return `the bucket name "${bucket}" has characters S3 does not allow`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'a bucket name cannot be an IP address';
  if (rest.slice(bucket.length).startsWith('//') || rest.includes('//')) return 'the prefix has an empty path segment (//)';
  return 'the prefix may only hold letters, digits and !_.*\'()-/';
}
