/** Which objects a transition creates, changes and deletes, keyed by group, kind, namespace and name. */
import type { KObject } from '../behaviour/index.js';

export interface Ref {
  kind: string;
  /** API group ('' for the core group). */
  group: string;
  namespace: string;
  name: string;
}

export interface ObjectChanges {
  created: Ref[];
  changed: Ref[];
  deleted: Ref[];
  unchanged: number;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

export function refOf(o: KObject): Ref {
  return { kind: o.kind, group: groupOf(o.apiVersion), namespace: o.metadata.namespace ?? '', name: o.metadata.name };
}

/** The identity of an object across API versions (v1beta1 and v1 of one kind are the same object). */
export const keyOf = (r: Ref) => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/** `Kind namespace/name`, as the plan prints it. */
export const describeRef = (r: Ref) => `${r.kind} ${r.namespace}/${r.name}`;

/** JSON with sorted keys, so that key order never counts as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Created and changed in the new stream's order (the apply order); deleted in the old stream's. */
export function diffObjects(before: readonly KObject[], after: readonly KObject[]): ObjectChanges {
  const old = new Map(before.map((o) => [keyOf(refOf(o)), o]));
  const now = new Set(after.map((o) => keyOf(refOf(o))));
  const changes: ObjectChanges = { created: [], changed: [], deleted: [], unchanged: 0 };
  for (const o of after) {
    const ref = refOf(o);
    const was = old.get(keyOf(ref));
    if (!was) changes.created.push(ref);
    else if (canonical(was) !== canonical(o)) changes.changed.push(ref);
    else changes.unchanged++;
  }
  for (const o of before) if (!now.has(keyOf(refOf(o)))) changes.deleted.push(refOf(o));
  return changes;
}
