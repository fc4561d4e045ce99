import type { K8sObject } from '../emitters/types.js';
import { KIND_ORDER } from '../emitters/index.js';
import type { Model } from './model.js';
import { locate } from './locate.js';
import type { DiagnosticSink } from './sink.js';

export interface Emitted {
  model: Model;
  object: K8sObject;
}

/**
 * Puts the objects of every spec into one stable order (kind, then namespace, then name) and
 * refuses two objects with the same identity: the second would silently replace the first.
 */
export function assemble(emitted: Emitted[], sink: DiagnosticSink): K8sObject[] {
  const sorted = emitted.slice().sort((a, b) => compareObjects(a.object, b.object));
  const seen = new Map<string, Emitted>();
  const clashes = new Set<string>();
  for (const item of sorted) {
    const id = identity(item.object);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, item);
      continue;
    }
    const origin = item.model.origin;
    const other = first.model.origin;
    // Two specs that clash usually clash on every object: say it once per pair of specs.
    const pair = `${origin.source.file}#${origin.index} ${other.source.file}#${other.index}`;
    if (clashes.has(pair)) continue;
    clashes.add(pair);
    const otherAt = other.source.position(locate(other, ['metadata', 'name']).start);
    sink.at(origin.source, 'SV216', `${item.object.kind} ${id.split(' ')[1]} is produced twice: by this spec and by ${other.source.file}:${otherAt.line}:${otherAt.col}`, locate(origin, ['metadata', 'name']), {
      path: 'metadata.name',
      hint: 'two specs with the same name in the same namespace would overwrite each other; rename one or move it to another namespace',
    });
  }
  return sorted.map((item) => item.object);
}

function identity(object: K8sObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function compareObjects(a: K8sObject, b: K8sObject): number {
  const byKind = (KIND_ORDER.get(a.kind) ?? 99) - (KIND_ORDER.get(b.kind) ?? 99);
  if (byKind !== 0) return byKind;
  const an = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const bn = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}
