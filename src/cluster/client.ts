/** The calls the commands make, each one request; every body is sent as given. */
import { failure, type Send } from './http.js';
import { describe, type KObject } from './object.js';
import { pathOf, Resources, type Resource } from './resources.js';

export const FIELD_MANAGER = 'servec';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export interface ApplyFlags {
  dryRun?: boolean;
  force?: boolean;
}

export class Client {
  readonly resources: Resources;
  constructor(readonly send: Send) {
    this.resources = new Resources(send);
  }

  resource(object: Pick<KObject, 'apiVersion' | 'kind'>): Promise<Resource> {
    return this.resources.resolve(object.apiVersion, object.kind);
  }

  /** Server-side apply; JSON is YAML, so the compiled object goes out byte for byte as JSON. */
  async apply(object: KObject, flags: ApplyFlags = {}): Promise<{ object: KObject; created: boolean }> {
    const resource = await this.resource(object);
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER, force: String(flags.force ?? false) };
    if (flags.dryRun) query.dryRun = 'All';
    const response = await this.send({
      method: 'PATCH',
      path: pathOf(resource, object.metadata.namespace, object.metadata.name),
      query,
      contentType: APPLY_PATCH,
      body: JSON.stringify(object),
    });
    if (response.status !== 200 && response.status !== 201) throw failure(response, `applying ${describe(object)}`);
    return { object: response.body, created: response.status === 201 };
  }

  /** The live object, or undefined when there is none. */
  async get(object: Pick<KObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<KObject | undefined> {
    const resource = await this.resource(object);
    const response = await this.send({ method: 'GET', path: pathOf(resource, object.metadata.namespace, object.metadata.name) });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw failure(response, `reading ${describe(object)}`);
    return response.body;
  }

  /** Objects of one kind in a namespace carrying the label selector. */
  async list(resource: Resource, namespace: string, labelSelector: string): Promise<KObject[]> {
    const response = await this.send({ method: 'GET', path: pathOf(resource, namespace), query: { labelSelector } });
    if (response.status !== 200) throw failure(response, `listing ${resource.plural} in ${namespace}`);
    return (response.body?.items ?? []).map((item: KObject) => ({ ...item, apiVersion: resource.apiVersion, kind: resource.kind }));
  }

  /** Deletes in the background (dependents go with their owner, as kubectl does). */
  async delete(object: KObject, flags: ApplyFlags = {}): Promise<void> {
    const resource = await this.resource(object);
    const query: Record<string, string> = { propagationPolicy: 'Background' };
    if (flags.dryRun) query.dryRun = 'All';
    const response = await this.send({ method: 'DELETE', path: pathOf(resource, object.metadata.namespace, object.metadata.name), query });
    if (response.status !== 200 && response.status !== 202 && response.status !== 404) throw failure(response, `deleting ${describe(object)}`);
  }
}
