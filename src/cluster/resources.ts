import { ClusterError, CLUSTER_EXIT } from './errors.js';
import { failure, type Send } from './http.js';
import { groupOf } from './object.js';

/** How the API server serves one kind: its REST path segment and whether it lives in a namespace. */
export interface Resource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** The controllers whose CRDs a servec stream needs, by API group (for "not installed" messages). */
const PROVIDERS: Record<string, string> = {
  'networking.istio.io': 'Istio',
  'security.istio.io': 'Istio',
  'flagger.app': 'Flagger',
};

/** `group/kind` as the ApplySet annotation writes it: `Kind.group`, or `Kind` for the core group. */
export function groupKind(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group ? `${kind}.${group}` : kind;
}


/** Discovery, one GET per apiVersion, remembered for the run. */
export class Resources {
  private readonly lists = new Map<string, Promise<Resource[]>>();
  constructor(private readonly send: Send) {}

  async resolve(apiVersion: string, kind: string): Promise<Resource> {
    const found = (await this.list(apiVersion)).find((r) => r.kind === kind);
    if (!found) throw missing(apiVersion, kind);
    return found;
  }

  private list(apiVersion: string): Promise<Resource[]> {
    let pending = this.lists.get(apiVersion);
    if (!pending) {
      pending = this.fetch(apiVersion);
      this.lists.set(apiVersion, pending);
    }
    return pending;
  }

  private async fetch(apiVersion: string): Promise<Resource[]> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const response = await this.send({ method: 'GET', path });
    if (response.status === 404) return [];
    if (response.status !== 200) throw failure(response, `discovering ${apiVersion}`);
    return (response.body?.resources ?? [])
      .filter((r: { name: string }) => !r.name.includes('/'))
      .map((r: { name: string; kind: string; namespaced: boolean }) => ({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced }));
  }
}

function missing(apiVersion: string, kind: string): ClusterError {
  const provider = PROVIDERS[groupOf(apiVersion)];
  const what = provider ? `${provider} is not installed (or too old)` : 'the API is not served';
  return new ClusterError(
    `the cluster does not serve ${kind} (${apiVersion}): ${what}`,
    CLUSTER_EXIT.missingApi,
    provider ? `install ${provider} with the CRD for ${kind} ${apiVersion}, then run again` : 'check the cluster version',
  );
}

/** The REST path of a collection (name omitted) or of one object. */
export function pathOf(resource: Resource, namespace: string | undefined, name?: string): string {
  const prefix = resource.apiVersion.includes('/') ? `/apis/${resource.apiVersion}` : `/api/${resource.apiVersion}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix}${ns}/${resource.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
