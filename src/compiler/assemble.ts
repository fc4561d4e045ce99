import { KIND_ORDER, kindKey, type K8sObject } from '../emitters/index.js';
import type { DiagnosticSink } from '../diagnostics/sink.js';
import type { SourceFile } from '../diagnostics/source.js';

/** Where a spec came from: enough to point at its name, without keeping its syntax tree alive. */
export interface SpecRef {
  source: SourceFile;
  index: number;
  name: { start: number; end: number };
  /** The service it describes, namespace/name: two specs with the same one clash on every object. */
  service: string;
}

export interface Emitted {
  spec: SpecRef;
  object: K8sObject;
}

/**
 * Puts the objects of every spec into one stable order (apiVersion and kind, then namespace, then name) and
 * refuses two objects with the same identity: the second would silently replace the first.
 */
export function assemble(emitted: Emitted[], sink: DiagnosticSink): K8sObject[] {
  // Sort keys are computed once per object, not once per comparison.
  const keyed = emitted.map((item) => ({ item, rank: KIND_ORDER.get(kindKey(item.object)) ?? KIND_ORDER.size, name: `${item.object.metadata.namespace ?? ''}/${item.object.metadata.name}` }));
  keyed.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sorted = keyed.map((k) => k.item);
  const seen = new Map<string, Emitted>();
  const clashes = new Set<string>();
  for (const item of sorted) {
    const id = identity(item.object);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, item);
      continue;
    }
    const origin = item.spec;
    const other = first.spec;
    // Two specs that clash usually clash on every object: say it once per pair of specs, whichever
    // object shows it first.
    const pair = [`${origin.source.file}#${origin.index}`, `${other.source.file}#${other.index}`].sort().join(' ');
    if (clashes.has(pair)) continue;
    clashes.add(pair);
    const otherAt = other.source.position(other.name.start);
    const elsewhere = `${other.source.file}:${otherAt.line}:${otherAt.col}`;
    const [namespace, name] = origin.service.split('/');
    const sameService = origin.service === other.service;
    const message = sameService
      ? `another spec describes the same service "${name}" in namespace ${namespace} (${elsewhere}): every object would be produced twice`
      : `${item.object.kind} ${id.split(' ')[1]} is produced twice: by this spec and by ${elsewhere}`;
    sink.at(origin.source, 'SV216', message, origin.name, {
      path: ['metadata', 'name'],
      labels: [{ source: other.source, range: other.name, message: sameService ? 'the same service, first described here' : 'first produced by this spec' }],
      hint: sameService
        ? 'keep one spec per service: rename one, move it to another namespace, or remove the copy'
        : 'their derived names collide (a service name plus a version name); rename one of the specs or the version',
    });
  }
  return sorted.map((item) => item.object);
}

function identity(object: K8sObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
