import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ParsedDoc, SpecPath } from './parse.js';

/** Ways back from a place in the spec (a path such as spec.versions[1].name) to the user's file. */

export interface Located {
  /** Offsets of the node itself, or of its key when asked for the key. */
  start: number;
  end: number;
  /** True when the whole path was found. */
  exact: boolean;
}

/**
 * Finds the source range of the node at `path`. With `key`, returns the key of the last
 * segment (for "unknown field" errors). When the path does not exist, returns the deepest node
 * that does, marked inexact.
 */
export function locate(parsed: ParsedDoc, path: SpecPath, want: 'value' | 'key' = 'value'): Located {
  const doc = parsed.doc;
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let best = rangeOf(node) ?? { start: doc.range[0], end: doc.range[1] };
  const shift = (r: { start: number; end: number }, exact: boolean): Located => ({
    start: r.start + parsed.offset,
    end: r.end + parsed.offset,
    exact,
  });
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        next = pair.value;
        keyNode = pair.key as Node;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined && keyNode === undefined) return shift(best, false);
    const last = i === path.length - 1;
    const range = last && want === 'key' && keyNode ? rangeOf(keyNode) : rangeOf(next) ?? rangeOf(keyNode);
    if (range) best = range;
    node = next;
  }
  return shift(best, true);
}

function rangeOf(node: unknown): { start: number; end: number } | undefined {
  const range = (node as Node | undefined)?.range;
  if (!range) return undefined;
  return { start: range[0], end: range[1] };
}

/** The scalar node at `path`, when it is one (for checks that look at how a value was written). */
export function scalarAt(parsed: ParsedDoc, path: SpecPath): { source: string; type?: string } | undefined {
  let node: unknown = parsed.doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(parsed.doc);
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  if (!isScalar(node) || !node.range) return undefined;
  return { source: parsed.source.text.slice(parsed.offset + node.range[0], parsed.offset + node.range[1]), type: node.type };
}
