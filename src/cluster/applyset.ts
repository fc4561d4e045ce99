/**
 * The inventory of what servec applied, as a kubectl ApplySet (KEP-3659) so that kubectl can read
 * it: a parent Secret per spec, labelled with the ApplySet id, listing the group-kinds of its
 * members; each member carries `applyset.kubernetes.io/part-of=<id>`, set here when applying (the
 * compiled stream never carries it; kubectl refuses input that does).
 */
import { createHash } from 'node:crypto';
import type { KObject as K8sObject } from './object.js';
import { groupKind } from './resources.js';

export const PART_OF = 'applyset.kubernetes.io/part-of';
export const ID = 'applyset.kubernetes.io/id';
export const TOOLING = 'applyset.kubernetes.io/tooling';
export const KINDS = 'applyset.kubernetes.io/contains-group-kinds';
export const NAMESPACES = 'applyset.kubernetes.io/additional-namespaces';
/**
 * The label naming the spec within its namespace, the ApplySet's scope: servec's name label, on every
 * object of every version of servec's output. (`app.kubernetes.io/instance`, NAME.NAMESPACE, names it
 * cluster-wide for other tools; the parent stays `servec.NAME` whether a stream carries it or not.)
 */
export const INSTANCE_LABELS = ['app.kubernetes.io/name'];

export interface ApplySet {
  /** The spec instance (its metadata.name). */
  instance: string;
  namespace: string;
  parentName: string;
  id: string;
  members: K8sObject[];
}

/** kubectl's id: base64url (unpadded) of sha256("NAME.NAMESPACE.KIND.GROUP"), for a Secret parent (core group). */
export function applySetId(name: string, namespace: string, kind = 'Secret', group = ''): string {
  const digest = createHash('sha256').update(`${name}.${namespace}.${kind}.${group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

export function instanceOf(object: K8sObject): string | undefined {
  const labels = object.metadata.labels ?? {};
  for (const label of INSTANCE_LABELS) if (labels[label]) return labels[label];
  return undefined;
}

/** Splits a compiled stream into one ApplySet per spec (instance and namespace). */
export function applySets(objects: readonly K8sObject[]): ApplySet[] {
  const sets = new Map<string, ApplySet>();
  for (const object of objects) {
    const instance = instanceOf(object) ?? object.metadata.name;
    const namespace = object.metadata.namespace ?? 'default';
    const key = `${namespace}/${instance}`;
    let set = sets.get(key);
    if (!set) {
      const parentName = `servec.${instance}`;
      set = { instance, namespace, parentName, id: applySetId(parentName, namespace), members: [] };
      sets.set(key, set);
    }
    set.members.push(object);
  }
  return [...sets.values()];
}

/** A member as sent: the compiled object plus the part-of label, nothing else changed. */
export function asMember(object: K8sObject, set: ApplySet): K8sObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [PART_OF]: set.id } } };
}

/** The parent Secret, listing `kinds` (sorted `Kind.group`) and any namespace besides its own. */
export function parentObject(set: ApplySet, kinds: readonly string[], namespaces: readonly string[], tooling: string): K8sObject {
  const annotations: Record<string, string> = { [TOOLING]: tooling, [KINDS]: [...new Set(kinds)].sort().join(',') };
  const others = [...new Set(namespaces)].filter((ns) => ns !== set.namespace).sort();
  annotations[NAMESPACES] = others.join(','); // kubectl writes it even when empty
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: set.parentName, namespace: set.namespace, labels: { [ID]: set.id, 'app.kubernetes.io/managed-by': 'servec' }, annotations },
    type: 'Opaque',
  };
}

export function kindsOf(objects: readonly K8sObject[]): string[] {
  return [...new Set(objects.map((o) => groupKind(o.apiVersion, o.kind)))].sort();
}
