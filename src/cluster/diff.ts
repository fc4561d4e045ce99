/**
 * `servec diff`: each object as a server-side dry run of the apply would leave it, against the live
 * object, and the live members that apply would prune. The merge is the server's, never emulated.
 */
import { toYaml } from '../compiler/serialize.js';
import { applySets, asMember, kindsOf } from './applyset.js';
import { membersLive, parentKinds } from './inventory.js';
import type { Client } from './client.js';
import { comparable, maskSecrets, unifiedDiff } from './compare.js';
import { describe, type KObject } from './object.js';
import { decidePrune } from './prune.js';

export interface DiffResult {
  text: string;
  changed: number;
}

export async function diffAll(client: Client, objects: readonly KObject[]): Promise<DiffResult> {
  for (const object of objects) await client.resource(object);
  let text = '';
  let changed = 0;
  for (const set of applySets(objects)) {
    for (const object of set.members) {
      const live = await client.get(object);
      const { object: next } = await client.apply(asMember(object, set), { dryRun: true });
      const chunk = render(live, next, object);
      if (chunk) {
        text += chunk;
        changed++;
      }
    }
    const live = await membersLive(client, set, [...new Set([...(await parentKinds(client, set)), ...kindsOf(set.members)])]);
    for (const gone of decidePrune(live, set.members).remove) {
      text += render(gone, undefined, gone);
      changed++;
    }
  }
  return { text, changed };
}

function render(live: KObject | undefined, next: KObject | undefined, object: KObject): string {
  const [before, after] = maskSecrets(comparable(live), comparable(next));
  const label = describe(object).replace(' ', '/');
  return unifiedDiff(before ? toYaml([before]) : '', after ? toYaml([after]) : '', `live/${label}`, `servec/${label}`);
}
