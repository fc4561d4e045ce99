import type { Model } from '../compiler/model.js';
import type { ObjectMeta } from './types.js';

/** Metadata shared by every object of a model: its name, namespace and common labels. */
export function meta(model: Model, name: string, labels: Record<string, string> = {}): ObjectMeta {
  return { name, namespace: model.namespace, labels: { ...model.labels, ...labels } };
}

/** Labels selecting every pod of the model, whoever owns the Deployment (servec or Flagger). */
export function podsOfModel(model: Model): Record<string, string> {
  return { 'app.kubernetes.io/name': model.name };
}

/** The port a protocol is served on, with Istio's protocol-selecting name. */
export function servicePort(model: Model, protocol: 'grpc' | 'rest'): { name: string; port: number; appProtocol: string } {
  return protocol === 'grpc'
    ? { name: 'grpc', port: model.ports.grpc, appProtocol: 'grpc' }
    : { name: 'http', port: model.ports.rest, appProtocol: 'http' };
}

export function exposed(model: Model): Array<'grpc' | 'rest'> {
  return (['grpc', 'rest'] as const).filter((p) => model.protocols[p]);
}

/** SPIFFE principal of a workload named as namespace/serviceaccount. */
export function principal(namespaceAndAccount: string): string {
  const [namespace, account] = namespaceAndAccount.split('/');
  return `cluster.local/ns/${namespace}/sa/${account}`;
}
