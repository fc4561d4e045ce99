import type { Labels, ServicePlan } from '../../plan/index.js';
import type { ObjectMeta } from './types.js';

/** Metadata shared by every object of a service: its name, namespace and common labels. */
export function meta(plan: ServicePlan, name: string, labels: Labels = {}): ObjectMeta {
  return { name, namespace: plan.namespace, labels: { ...plan.labels, ...labels } };
}

/** SPIFFE principal of a workload named as namespace/serviceaccount. */
export function principal(namespaceAndAccount: string): string {
  const [namespace, account] = namespaceAndAccount.split('/');
  return `cluster.local/ns/${namespace}/sa/${account}`;
}
