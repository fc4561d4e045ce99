/** Any Kubernetes object as the cluster code handles it: compiled or live, fields kept as they are. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
    managedFields?: { manager?: string; operation?: string; fieldsV1?: unknown }[];
    [field: string]: unknown;
  };
  [field: string]: any;
}

/** `Kind namespace/name`, the way messages name an object. */
export function describe(object: Pick<KObject, 'kind' | 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

export function keyOf(object: Pick<KObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${object.kind}.${groupOf(object.apiVersion)}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** The API group of an apiVersion (`apps` of `apps/v1`), '' for the core group (`v1`). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}
