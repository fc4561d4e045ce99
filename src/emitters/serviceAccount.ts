import type { Model } from '../compiler/model.js';
import { meta } from './meta.js';
import type { ServiceAccount } from './types.js';

/** A dedicated identity per model; it only mounts an API token when IRSA needs one. */
export function serviceAccount(model: Model): ServiceAccount[] {
  const irsa = model.storage.credentials.kind === 'irsa' ? model.storage.credentials : undefined;
  const metadata = meta(model, model.names.serviceAccount);
  if (irsa) metadata.annotations = { 'eks.amazonaws.com/role-arn': irsa.roleArn };
  return [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: irsa !== undefined }];
}
