/** Reading an ApplySet back from the cluster: the kinds its parent lists and the live objects labelled as members. */
import { KINDS, PART_OF, type ApplySet } from './applyset.js';
import type { Client } from './client.js';
import type { KObject } from './object.js';
import { groupKind } from './resources.js';

export async function parentKinds(client: Client, set: ApplySet): Promise<string[]> {
  const parent = await client.get({ apiVersion: 'v1', kind: 'Secret', metadata: { name: set.parentName, namespace: set.namespace } });
  return (parent?.metadata.annotations?.[KINDS] ?? '').split(',').filter(Boolean);
}

/** Every live object labelled as a member of the set, over the kinds the parent lists. */
export async function membersLive(client: Client, set: ApplySet, kinds: string[]): Promise<KObject[]> {
  const byKind = new Map(set.members.map((m) => [groupKind(m.apiVersion, m.kind), m]));
  const live: KObject[] = [];
  for (const gk of kinds) {
    const known = byKind.get(gk);
    const [kind, ...group] = gk.split('.');
    const apiVersion = known?.apiVersion ?? (await preferredVersion(client, group.join('.'), kind!));
    if (!apiVersion) continue;
    const resource = await client.resources.resolve(apiVersion, kind!);
    live.push(...(await client.list(resource, set.namespace, `${PART_OF}=${set.id}`)));
  }
  return live;
}

/** The version to list a kind the new stream no longer has: the versions servec has ever emitted. */
const KNOWN_VERSIONS: Record<string, string> = {
  '': 'v1',
  apps: 'apps/v1',
  policy: 'policy/v1',
  autoscaling: 'autoscaling/v2',
  'networking.istio.io': 'networking.istio.io/v1',
  'security.istio.io': 'security.istio.io/v1',
  'flagger.app': 'flagger.app/v1beta1',
};

async function preferredVersion(client: Client, group: string, kind: string): Promise<string | undefined> {
  const version = KNOWN_VERSIONS[group];
  if (!version) return undefined;
  try {
    await client.resources.resolve(version, kind);
    return version;
  } catch {
    return undefined; // the CRD is gone: so are its objects
  }
}

