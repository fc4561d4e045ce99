import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { SourceFile } from '../diagnostics/source.js';
import { DiagnosticSink } from '../diagnostics/sink.js';
import { readBlockYaml } from './blockYaml.js';
import { lowerFirst, unresolvedAlias, yamlClause, yamlStackOverflow } from './upstream.js';

export type { PathSegment, SpecPath } from '../plan/index.js';

/** The largest file servec reads; larger files are refused before parsing. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** The largest single document: a spec is a few KiB, and parsing time must stay bounded. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Nodes a document may expand to once aliases are resolved (an alias bomb expands to millions). */
const MAX_EXPANDED_NODES = 20_000;
/** Aliases per document: a spec needs a handful, and each one costs a search of the document. */
const MAX_ALIASES = 100;
/** Deepest nesting of collections accepted in a spec. */
export const MAX_DEPTH = 64;

/** One YAML document of a source file, with its plain data and a way back to source positions. */
export interface ParsedDoc {
  source: SourceFile;
  /** 0-based index of the document in its file. */
  index: number;
  /** The syntax tree, for positions; only diagnostics need it, so it may be built on first use. */
  readonly doc: Document.Parsed;
  data: unknown;
  /** Offset in the file of the text the document was parsed from (node ranges are relative to it). */
  offset: number;
  /** False when the document is known to hold no plain YAML 1.1 boolean word (yes, no, on, off...). */
  readonly mayHoldBooleanWords: boolean;
}

/**
 * Whether documents go through the fast reader first. Only tests turn it off, to check that both
 * ways give the same data and the same diagnostics.
 */
export const reading = { fast: true };

const YAML_OPTIONS = {
  prettyErrors: false,
  strict: true,
  // Duplicate keys are found in structure() instead: the yaml package's check is quadratic.
  uniqueKeys: false,
  logLevel: 'silent',
} as const;

/**
 * A document the fast reader read: its syntax tree is built only when a diagnostic asks for a
 * position, so a build of many valid specs never builds (nor keeps) one.
 */
class FastDoc implements ParsedDoc {
  readonly mayHoldBooleanWords = false;
  readonly source: SourceFile;
  readonly index: number;
  readonly data: unknown;
  readonly offset: number;
  private readonly end: number;
  private tree: Document.Parsed | undefined;

  constructor(source: SourceFile, index: number, data: unknown, offset: number, end: number) {
    this.source = source;
    this.index = index;
    this.data = data;
    this.offset = offset;
    this.end = end;
  }

  get doc(): Document.Parsed {
    // The fast reader accepts only text the yaml package reads as one document without a problem.
    this.tree ??= (parseAllDocuments(this.source.text.slice(this.offset, this.end), YAML_OPTIONS) as Document.Parsed[])[0]!;
    return this.tree;
  }

  /** The same document's positions, without its data. */
  positions(): FastDoc {
    return new FastDoc(this.source, this.index, undefined, this.offset, this.end);
  }
}

/**
 * `parsed` for looking up positions once its spec is done, without the data it was read into (which
 * would otherwise stay alive, and be copied by the collector, for every spec until the end of a build).
 * A document the yaml package read keeps its syntax tree, which its positions are.
 */
export function positionsOf(parsed: ParsedDoc): ParsedDoc {
  return parsed instanceof FastDoc ? parsed.positions() : { ...parsed, data: undefined };
}

const DUPLICATE_KEY = { message: 'this key appears twice in the same mapping', hint: 'remove one of the two; YAML tools disagree on which one wins' };

/**
 * Where each document starts: a `---` at the start of a line always begins a document, even in
 * the middle of a block scalar, so the file can be cut there and every part parsed on its own.
 * That bounds the work per document and keeps memory flat for files of thousands of specs.
 */
function documentChunks(text: string): Array<[number, number]> {
  const starts = [0];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts.map((start, i) => [start, starts[i + 1] ?? text.length]);
}

/** Flow brackets this deep are never a spec; the YAML parser would recurse on them for seconds. */
const RUNAWAY_FLOW_DEPTH = 1000;

/**
 * The offset of the bracket that opens the RUNAWAY_FLOW_DEPTH-th nested flow collection, if any: a
 * linear scan that skips quoted strings and comments. Brackets in a block scalar count too, which
 * can only refuse text a thousand unclosed brackets deep.
 */
function runawayFlow(text: string, start: number, end: number): number | undefined {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth >= RUNAWAY_FLOW_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22 || c === 0x27) {
      // A quoted scalar: skip to its closing quote ("" escapes with \, '' doubles the quote).
      for (i++; i < end; i++) {
        const q = text.charCodeAt(i);
        if (c === 0x22 && q === 0x5c) i++;
        else if (q === c && !(c === 0x27 && text.charCodeAt(i + 1) === 0x27)) break;
        else if (q === c) i++;
      }
    } else if (c === 0x23 && (i === start || /\s/.test(text[i - 1]!))) {
      while (i < end && text.charCodeAt(i) !== 0x0a) i++;
    }
  }
  return undefined;
}

/**
 * Parses every document of a file, one at a time as they are asked for: a file of many specs is
 * never held as data all at once. Documents with errors are reported and left out.
 */
export function* parseSource(source: SourceFile, sink: DiagnosticSink): Generator<ParsedDoc, void, undefined> {
  let nonEmpty = 0;
  let index = 0;
  for (const [start, end] of documentChunks(source.text)) {
    const at = (from: number, to = from) => ({ start: start + from, end: start + to });
    if (end - start > MAX_DOCUMENT_BYTES) {
      nonEmpty++;
      index++;
      sink.at(source, 'SV006', `this document is ${((end - start) / 1024).toFixed(0)} KiB; a spec document may be at most ${MAX_DOCUMENT_BYTES / 1024} KiB`, at(0), {
        hint: 'a ModelService spec is a few KiB; is this the right file?',
      });
      continue;
    }
    const text = source.text.slice(start, end);
    const data = reading.fast ? readBlockYaml(text, MAX_DEPTH) : undefined;
    if (data !== undefined) {
      nonEmpty++;
      yield new FastDoc(source, index++, data, start, end);
      continue;
    }
    // Only for the yaml package: the fast reader stops at MAX_DEPTH, without recursing further.
    const deep = runawayFlow(source.text, start, end);
    if (deep !== undefined) {
      nonEmpty++;
      index++;
      sink.at(source, 'SV005', 'the document nests too deeply to be read', { start: deep, end: deep + 1 }, {
        hint: `specs never need more than ${MAX_DEPTH} levels of nesting; check the brackets and indentation`,
      });
      continue;
    }
    for (const doc of parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[]) {
      if (isEmpty(doc)) continue;
      nonEmpty++;
      const parsed = readDocument(doc, source, sink, at);
      if (parsed) yield { source, index, doc, data: parsed.data, offset: start, mayHoldBooleanWords: true };
      index++;
    }
  }
  if (nonEmpty === 0) {
    sink.at(source, 'SV008', 'the file holds no spec', { start: 0, end: 0 }, {
      hint: 'a spec starts with `apiVersion: servec.dev/v1alpha1` and `kind: ModelService`; `servec init` writes one',
    });
  }
}

/** A document with nothing in it but comments (a trailing `---`, say) is no spec, and no error. */
function isEmpty(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const contents = doc.contents as unknown;
  return contents === null || (isScalar(contents) && contents.value === null && contents.range?.[0] === contents.range?.[1]);
}

type At = (from: number, to?: number) => { start: number; end: number };

function readDocument(doc: Document.Parsed, source: SourceFile, sink: DiagnosticSink, at: At): { data: unknown } | undefined {
  // Only the first problem is reported: later syntax errors are mostly its echoes.
  const error = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (error) {
    const range = at(error.pos[0], error.pos[1]);
    if (yamlStackOverflow(error.message)) {
      sink.at(source, 'SV005', 'the document nests too deeply to be read', range, {
        hint: `specs never need more than ${MAX_DEPTH} levels of nesting; check the brackets and indentation`,
      });
    } else if (error.code === 'TAB_AS_INDENT') {
      sink.at(source, 'SV003', 'tabs cannot indent YAML', range, { hint: 'indent with spaces' });
    } else {
      sink.at(source, 'SV001', yamlClause(error.message), range, { hint: yamlHint(error.code) });
    }
    return undefined;
  }
  const shape = structure(doc.contents);
  if (shape.tooDeep !== undefined) {
    sink.at(source, 'SV005', `the document nests more than ${MAX_DEPTH} levels deep`, at(shape.tooDeep, shape.tooDeep + 1), {
      hint: 'a ModelService spec is only a few levels deep; check the indentation',
    });
    return undefined;
  }
  for (const key of shape.duplicates) {
    sink.at(source, 'SV002', DUPLICATE_KEY.message, at(key[0], key[1]), { hint: DUPLICATE_KEY.hint });
  }
  if (shape.duplicates.length > 0) return undefined;
  const aliasAt = shape.firstAlias;
  if (aliasAt !== undefined && (shape.aliases > MAX_ALIASES || expandedSize(doc) > MAX_EXPANDED_NODES)) {
    sink.at(source, 'SV004', 'the document expands too many aliases', at(aliasAt, aliasAt + 1), {
      hint: 'aliases that expand to many copies (an alias bomb) are refused; write the values out instead',
    });
    return undefined;
  }
  try {
    return { data: doc.toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    // Left after the checks above: aliases without anchors and merge keys (<<) on non-mappings.
    const message = (error as Error).message ?? String(error);
    const unresolved = unresolvedAlias(message);
    const where = at(aliasAt ?? doc.range[0]);
    if (unresolved !== undefined) {
      sink.at(source, 'SV001', `the alias *${unresolved} refers to no anchor`, where, {
        hint: `define the anchor (&${unresolved}) before the alias uses it`,
      });
    } else {
      sink.at(source, 'SV001', `the document cannot be read: ${lowerFirst(message)}`, where, {
        hint: 'servec specs use plain mappings, lists and scalars; merge keys (<<) and tags are not needed',
      });
    }
    return undefined;
  }
}

/** Number of nodes once every alias is replaced by what it points to, counted without expanding. */
function expandedSize(doc: Document.Parsed): number {
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (isAlias(node)) return size(node.resolve(doc));
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    for (const item of node.items) {
      total += isPair(item) ? size(item.key) + size(item.value) : size(item);
      if (total > MAX_EXPANDED_NODES) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(doc.contents);
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and punctuation of this line and the one before';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; is a colon, or the space after it, missing?';
    case 'BAD_DQ_ESCAPE':
      return 'inside double quotes a backslash starts an escape; use single quotes, or write \\\\ for a backslash';
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_TAG':
      return 'servec specs need no YAML tags (!tag); remove it';
    case 'BAD_DIRECTIVE':
      return 'a spec needs no % directives; remove the line';
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
      return 'a value may carry one anchor (&name) and one tag';
    default:
      return 'check the quotes, brackets and the space after each colon at this point';
  }
}

interface Shape {
  /** Offset of the first collection nested deeper than MAX_DEPTH. */
  tooDeep?: number;
  /** Ranges of keys that repeat an earlier key of the same mapping. */
  duplicates: Array<[number, number]>;
  aliases: number;
  firstAlias?: number;
}

/** One pass over the syntax tree, without recursion: depth, duplicate keys and aliases. */
function structure(root: unknown): Shape {
  const shape: Shape = { duplicates: [], aliases: 0 };
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isAlias(node)) {
      shape.aliases++;
      const start = node.range?.[0] ?? 0;
      if (shape.firstAlias === undefined || start < shape.firstAlias) shape.firstAlias = start;
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_DEPTH) {
        shape.tooDeep = node.range?.[0] ?? 0;
        return shape;
      }
      const keys = new Set<unknown>();
      for (const item of node.items) {
        if (!isPair(item)) {
          stack.push([item, depth + 1]);
          continue;
        }
        if (isScalar(item.key)) {
          const key = item.key.value === null ? '' : String(item.key.value);
          if (keys.has(key)) shape.duplicates.push([item.key.range?.[0] ?? 0, item.key.range?.[1] ?? 0]);
          keys.add(key);
        }
        stack.push([item.key, depth + 1], [item.value, depth + 1]);
      }
    }
  }
  return shape;
}
