import type { Emitter, ServiceAccount } from '../shared/types.js';
import { meta } from '../shared/meta.js';

/** A dedicated identity per service; it only mounts an API token when IRSA needs one. */
export const serviceAccount: Emitter<ServiceAccount> = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  emit(plan) {
    const credentials = plan.storage.credentials;
    const irsa = credentials.kind === 'irsa' ? credentials : undefined;
    const metadata = meta(plan, plan.names.serviceAccount);
    if (irsa) metadata.annotations = { 'eks.amazonaws.com/role-arn': irsa.roleArn };
    return [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: irsa !== undefined }];
  },
};
