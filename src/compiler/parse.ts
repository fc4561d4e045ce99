import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { SourceFile } from './source.js';
import { DiagnosticSink } from './sink.js';

export type PathSegment = string | number;
export type SpecPath = readonly PathSegment[];

/** The largest file servec reads; larger files are refused before parsing. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Aliases expanded per document before it counts as an alias bomb. */
const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of collections accepted in a spec. */
export const MAX_DEPTH = 64;

/** One YAML document of a source file, with its plain data and a way back to source positions. */
export interface ParsedDoc {
  source: SourceFile;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  data: unknown;
}

const YAML_CODES: Record<string, Diagnostic['code']> = {
  DUPLICATE_KEY: 'SV002',
  TAB_AS_INDENT: 'SV003',
};

/** Parses every document of a file. Documents with syntax errors are reported and left out. */
export function parseSource(source: SourceFile, sink: DiagnosticSink): ParsedDoc[] {
  const out: ParsedDoc[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(source.text, { prettyErrors: false, strict: true, uniqueKeys: true }) as Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError) {
      sink.at(source, 'SV005', 'the file nests too deeply to be read', { start: 0, end: 0 }, {
        hint: `specs never need more than ${MAX_DEPTH} levels of nesting`,
      });
      return out;
    }
    throw error;
  }
  let nonEmpty = 0;
  docs.forEach((doc, index) => {
    if (doc.contents === null && doc.errors.length === 0) return;
    nonEmpty++;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        if (/call stack/i.test(error.message)) {
          sink.at(source, 'SV005', 'the document nests too deeply to be read', { start: error.pos[0], end: error.pos[1] }, {
            hint: `specs never need more than ${MAX_DEPTH} levels of nesting; check the brackets and indentation`,
          });
          continue;
        }
        const code = YAML_CODES[error.code] ?? 'SV001';
        sink.at(source, code, yamlMessage(error.code, error.message), { start: error.pos[0], end: error.pos[1] }, {
          hint: yamlHint(error.code),
        });
      }
      return;
    }
    const depthAt = tooDeep(doc.contents);
    if (depthAt !== undefined) {
      sink.at(source, 'SV005', `the document nests more than ${MAX_DEPTH} levels deep`, { start: depthAt, end: depthAt + 1 }, {
        hint: 'a ModelService spec is only a few levels deep; check the indentation',
      });
      return;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = (error as Error).message ?? '';
      const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(message);
      if (unresolved) {
        const at = firstAlias(doc.contents) ?? doc.range[0];
        sink.at(source, 'SV001', `the alias *${unresolved[1]} refers to no anchor`, { start: at, end: at + 1 }, {
          hint: `define the anchor (&${unresolved[1]}) before the alias uses it`,
        });
        return;
      }
      if (error instanceof ReferenceError || error instanceof RangeError) {
        const at = firstAlias(doc.contents) ?? doc.range[0];
        sink.at(source, 'SV004', 'the document expands too many aliases', { start: at, end: at + 1 }, {
          hint: 'aliases that expand to many copies (an alias bomb) are refused; write the values out instead',
        });
        return;
      }
      throw error;
    }
    out.push({ source, index, doc, data });
  });
  if (nonEmpty === 0) {
    sink.at(source, 'SV008', 'the file holds no spec', { start: 0, end: 0 }, {
      hint: 'a spec starts with `apiVersion: servec.dev/v1alpha1` and `kind: ModelService`; `servec init` writes one',
    });
  }
  return out;
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'this key appears twice in the same mapping';
  if (code === 'TAB_AS_INDENT') return 'tabs cannot indent YAML';
  // The yaml package's messages are complete sentences without position; keep the first line.
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove one of the two; YAML tools disagree on which one wins';
    case 'TAB_AS_INDENT':
      return 'indent with spaces';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and punctuation of this line and the one before';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a key must fit on one line; is a colon missing after the previous key?';
    default:
      return undefined;
  }
}

/** Returns the offset of the first collection nested deeper than MAX_DEPTH, without recursion. */
function tooDeep(root: unknown): number | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_DEPTH) return node.range?.[0] ?? 0;
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return undefined;
}

function firstAlias(root: unknown): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) return node.range?.[0];
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
  return undefined;
}

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
    if (next === undefined && keyNode === undefined) return { ...best, exact: false };
    const last = i === path.length - 1;
    const range = last && want === 'key' && keyNode ? rangeOf(keyNode) : rangeOf(next) ?? rangeOf(keyNode);
    if (range) best = range;
    node = next;
  }
  return { ...best, exact: true };
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
  return { source: parsed.source.text.slice(node.range[0], node.range[1]), type: node.type };
}

/** Renders a path the way users write it: `spec.versions[1].name`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
