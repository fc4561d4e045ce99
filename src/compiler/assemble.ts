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
  /** What orders the object and tells it apart: its apiVersion, kind, namespace and name. */
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  name: string;
  /** The object, or, when the build keeps YAML only (CompileOptions.as), its YAML document. */
  output: K8sObject | string;
}

/** An object as assemble reads it. */
export function toEmitted(spec: SpecRef, object: K8sObject, output: K8sObject | string): Emitted {
  const { apiVersion, kind, metadata } = object;
  return { spec, apiVersion, kind, namespace: metadata.namespace, name: metadata.name, output };
}

/**
 * Puts the objects of every spec into one stable order (apiVersion and kind, then namespace, then name) and
 * refuses two objects with the same identity: the second would silently replace the first.
 */
export function assemble(items: Emitted[], sink: DiagnosticSink): Emitted[] {
  // Sort keys are computed once per object, not once per comparison.
  const keyed = items.map((item) => ({ item, rank: KIND_ORDER.get(kindKey(item)) ?? KIND_ORDER.size, name: `${item.namespace ?? ''}/${item.name}` }));
  keyed.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sorted = keyed.map((k) => k.item);
  const seen = new Map<string, Emitted>();
  const clashes = new Set<string>();
  for (const item of sorted) {
    const id = identity(item);
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
      : `${item.kind} ${id.split(' ')[1]} is produced twice: by this spec and by ${elsewhere}`;
    sink.at(origin.source, 'SV216', message, origin.name, {
      path: ['metadata', 'name'],
      labels: [{ source: other.source, range: other.name, message: sameService ? 'the same service, first described here' : 'first produced by this spec' }],
      hint: sameService
        ? 'keep one spec per service: rename one, move it to another namespace, or remove the copy'
        : 'their derived names collide (a service name plus a version name); rename one of the specs or the version',
    });
  }
  return sorted;
}

function identity(item: Emitted): string {
  const group = item.apiVersion.includes('/') ? item.apiVersion.split('/')[0] : '';
  return `${group}/${item.kind} ${item.namespace ?? ''}/${item.name}`;
}
