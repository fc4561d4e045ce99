import { YAML11_BOOLEAN } from './traps.js';

/**
 * A reader for the plain subset of YAML that specs are written in: block mappings and sequences,
 * flow collections that close on their line, one-line plain, single- and double-quoted scalars,
 * comments and CRLF line ends. It builds the same data the
 * `yaml` package builds with the YAML 1.2 core schema, several times faster and without a syntax
 * tree. Anything outside that subset, or anything the `yaml` package would report (a duplicate
 * key, a tab, nesting deeper than `maxDepth`, a plain YAML 1.1 boolean word), makes it give up
 * and return undefined: the `yaml` package then reads the document and explains the problem, so
 * every diagnostic and position still comes from one parser.
 */
export function readBlockYaml(text: string, maxDepth: number): Record<string, unknown> | undefined {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  const lines = contentLines(text);
  if (!lines || lines.length === 0) return undefined;
  const reader = new Reader(text, lines, maxDepth);
  try {
    const root = reader.node(lines[0]!.from, 0, false);
    if (reader.line !== lines.length || root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
    return root as Record<string, unknown>;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/**
 * Characters whose handling differs between YAML tools, or that the reader leaves to the `yaml`
 * package: tabs, carriage returns other than in CRLF line ends, other control characters, Unicode
 * line separators, byte-order marks and surrogates (lone ones are an error; pairs are rare in specs).
 */
const UNSUPPORTED_CHARACTER = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]|\r(?!\n)/;

const GIVE_UP = Symbol('not in the subset');
function giveUp(): never {
  throw GIVE_UP;
}

/** A line with content: where it begins, where its first non-space character is, where it ends. */
interface Line {
  begin: number;
  from: number;
  to: number;
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/** The lines that hold more than spaces and a comment; undefined for directives and document markers. */
function contentLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  for (let begin = 0; begin < text.length; ) {
    const end = text.indexOf('\n', begin);
    let to = end < 0 ? text.length : end;
    const next = to + 1;
    // CRLF line ends: the \r is part of the line break, as for YAML.
    if (text.charCodeAt(to - 1) === 0x0d) to--;
    let from = begin;
    while (from < to && text.charCodeAt(from) === SPACE) from++;
    if (from < to && text.charCodeAt(from) !== HASH) {
      if (from === begin) {
        const c = text.charCodeAt(begin);
        // A `---` can only open the text (documents are cut there); `...` and `%` end or precede documents.
        if (c === 0x25 || text.startsWith('...', begin)) return undefined;
        if (text.startsWith('---', begin)) {
          if (begin !== 0 || !emptyRest(text, begin + 3, to, true)) return undefined;
          begin = next;
          continue;
        }
      }
      lines.push({ begin, from, to });
    }
    begin = next;
  }
  return lines;
}

/** True when text[at, to) holds only spaces and a comment (a comment needs a space before it). */
function emptyRest(text: string, at: number, to: number, spaceBefore: boolean): boolean {
  let i = at;
  while (i < to && text.charCodeAt(i) === SPACE) i++;
  if (i === to) return true;
  return text.charCodeAt(i) === HASH && (i > at || spaceBefore);
}

class Reader {
  /** Index of the next line not yet read. */
  line = 0;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    private readonly maxDepth: number,
  ) {}

  /**
   * The node that starts at `at` on the current line: a sequence, a mapping or (unless `block`,
   * which asks for a collection on lines of its own) a scalar.
   */
  node(at: number, depth: number, block: boolean): unknown {
    const line = this.lines[this.line]!;
    if (this.isDash(at, line.to)) return this.sequence(at, depth);
    const first = this.text.charCodeAt(at);
    if (first !== OPEN_BRACKET && first !== OPEN_BRACE && this.keyEnd(at, line.to) >= 0) return this.mapping(at, depth);
    if (block) giveUp();
    const value = this.scalar(at, line.to, depth);
    this.line++;
    return value;
  }

  private isDash(at: number, to: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === to || this.text.charCodeAt(at + 1) === SPACE);
  }

  private sequence(at: number, depth: number): unknown[] {
    if (depth >= this.maxDepth) giveUp();
    const column = at - this.lines[this.line]!.begin;
    const items: unknown[] = [];
    for (;;) {
      const line = this.lines[this.line]!;
      let value = at + 1;
      while (value < line.to && this.text.charCodeAt(value) === SPACE) value++;
      if (value === line.to || this.text.charCodeAt(value) === HASH) {
        this.line++;
        items.push(this.nested(column, false, depth + 1));
      } else {
        items.push(this.node(value, depth + 1, false));
      }
      const next = this.lines[this.line];
      if (!next) return items;
      const indent = next.from - next.begin;
      if (indent > column) giveUp();
      if (indent < column || !this.isDash(next.from, next.to)) return items;
      at = next.from;
    }
  }

  private mapping(at: number, depth: number): Record<string, unknown> {
    if (depth >= this.maxDepth) giveUp();
    const column = at - this.lines[this.line]!.begin;
    const map: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.line]!;
      const colon = this.keyEnd(at, line.to);
      if (colon < 0) giveUp();
      const key = this.key(at, colon);
      if (Object.prototype.hasOwnProperty.call(map, key)) giveUp();
      let value = colon + 1;
      while (value < line.to && this.text.charCodeAt(value) === SPACE) value++;
      let item: unknown;
      if (value === line.to || this.text.charCodeAt(value) === HASH) {
        this.line++;
        item = this.nested(column, true, depth + 1);
      } else {
        item = this.scalar(value, line.to, depth + 1);
        this.line++;
      }
      // As the yaml package does: an inherited name such as __proto__ becomes an own property.
      if (key in map) Object.defineProperty(map, key, { value: item, writable: true, enumerable: true, configurable: true });
      else map[key] = item;
      const next = this.lines[this.line];
      if (!next) return map;
      const indent = next.from - next.begin;
      if (indent > column) giveUp();
      if (indent < column) return map;
      at = next.from;
    }
  }

  /**
   * The value written on the lines after `key:` or `-`: a collection indented deeper than the
   * parent (a sequence may also sit at a mapping's own indentation), or null when there is none.
   */
  private nested(column: number, inMapping: boolean, depth: number): unknown {
    const next = this.lines[this.line];
    if (!next) return null;
    const indent = next.from - next.begin;
    if (indent > column || (inMapping && indent === column && this.isDash(next.from, next.to))) {
      return this.node(next.from, depth, true);
    }
    return null;
  }

  /**
   * Where the `:` of a key that starts at `at` is, or -1 when the line has no key there. Keys are
   * plain or quoted, on one line, with the colon right after them and a space or the line end after it.
   */
  private keyEnd(at: number, to: number): number {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === 0x22 || first === 0x27) {
      const close = this.closingQuote(at, to);
      if (close < 0 || text.charCodeAt(close + 1) !== COLON) return -1;
      return close + 2 === to || text.charCodeAt(close + 2) === SPACE ? close + 1 : -1;
    }
    for (let i = at; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === to || text.charCodeAt(i + 1) === SPACE)) return i;
      if (c === HASH && i > at && text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  private key(at: number, colon: number): string {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === 0x22 || first === 0x27) return this.quoted(at, colon - 1) as string;
    // Keys longer than this are an error in YAML; a `#` or trailing space makes them ambiguous.
    const hash = text.indexOf('#', at);
    if (colon - at > 1000 || text.charCodeAt(colon - 1) === SPACE || (hash >= 0 && hash < colon)) giveUp();
    if (!PLAIN_START.test(text[at]!) || (first === DASH && text.charCodeAt(at + 1) === SPACE)) giveUp();
    const value = plain(text.slice(at, colon));
    return value === null ? '' : String(value);
  }

  /** The offset of the quote that closes the quoted scalar opening at `at`, or -1. */
  private closingQuote(at: number, to: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < to; i++) {
      const c = text.charCodeAt(i);
      if (quote === 0x22 && c === 0x5c) i++;
      else if (c === quote) {
        if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
        else return i;
      }
    }
    return -1;
  }

  /** A scalar value that takes the rest of the line (apart from a comment). */
  private scalar(at: number, to: number, depth: number): unknown {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === OPEN_BRACKET || first === OPEN_BRACE) {
      const [value, end] = this.flow(at, to, depth);
      if (!emptyRest(text, end, to, false)) giveUp();
      return value;
    }
    if (first === 0x22 || first === 0x27) {
      const close = this.closingQuote(at, to);
      if (close < 0 || !emptyRest(text, close + 1, to, false)) giveUp();
      return this.quoted(at, close);
    }
    if (!PLAIN_START.test(text[at]!)) giveUp();
    if (first === DASH && (at + 1 === to || text.charCodeAt(at + 1) === SPACE)) giveUp();
    let end = at;
    for (let i = at; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) break;
      if (c === COLON && (i + 1 === to || text.charCodeAt(i + 1) === SPACE)) giveUp();
      if (c !== SPACE) end = i + 1;
    }
    const value = plain(text.slice(at, end));
    // kubectl reads these words as booleans: the yaml path finds them and warns, with positions.
    if (typeof value === 'string' && value.length <= 3 && YAML11_BOOLEAN.test(value)) giveUp();
    return value;
  }

  /**
   * A flow collection ([a, b] or {k: v}) that opens at `at` and closes on the same line, and the
   * offset after it. Plain scalars in it hold no `:`, `#` or quote, keys are followed by `: ` and
   * a value, and there is no trailing comma: the rest is left to the yaml package.
   */
  private flow(at: number, to: number, depth: number): [unknown, number] {
    if (depth >= this.maxDepth) giveUp();
    const text = this.text;
    const isMap = text.charCodeAt(at) === OPEN_BRACE;
    const close = isMap ? 0x7d : 0x5d;
    const items: unknown[] = [];
    const map: Record<string, unknown> = {};
    let i = skipSpaces(text, at + 1, to);
    if (text.charCodeAt(i) === close) return [isMap ? map : items, i + 1];
    for (;;) {
      if (isMap) {
        const [key, afterKey] = this.flowKey(i, to);
        if (Object.prototype.hasOwnProperty.call(map, key)) giveUp();
        const [value, after] = this.flowValue(skipSpaces(text, afterKey, to), to, depth + 1);
        if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
        else map[key] = value;
        i = after;
      } else {
        const [value, after] = this.flowValue(i, to, depth + 1);
        items.push(value);
        i = after;
      }
      i = skipSpaces(text, i, to);
      const c = text.charCodeAt(i);
      if (c === close) return [isMap ? map : items, i + 1];
      if (c !== 0x2c) giveUp();
      i = skipSpaces(text, i + 1, to);
      if (i >= to || text.charCodeAt(i) === close) giveUp();
    }
  }

  /** A key of a flow mapping and the offset after its `: `. */
  private flowKey(at: number, to: number): [string, number] {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === 0x22 || first === 0x27) {
      const close = this.closingQuote(at, to);
      if (close < 0 || text.charCodeAt(close + 1) !== COLON || text.charCodeAt(close + 2) !== SPACE) giveUp();
      return [this.quoted(at, close), close + 2];
    }
    if (!PLAIN_START.test(text[at] ?? ' ') || first === DASH) giveUp();
    let i = at;
    while (i < to && !FLOW_STOP.test(text[i]!)) i++;
    if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE || text.charCodeAt(i - 1) === SPACE || i - at > 1000) giveUp();
    const value = plain(text.slice(at, i));
    return [value === null ? '' : String(value), i + 1];
  }

  /** A value in a flow collection and the offset after it. */
  private flowValue(at: number, to: number, depth: number): [unknown, number] {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === OPEN_BRACKET || first === OPEN_BRACE) return this.flow(at, to, depth);
    if (first === 0x22 || first === 0x27) {
      const close = this.closingQuote(at, to);
      if (close < 0) giveUp();
      return [this.quoted(at, close), close + 1];
    }
    if (!PLAIN_START.test(text[at] ?? ' ') || (first === DASH && !/[0-9.]/.test(text[at + 1] ?? ''))) giveUp();
    let i = at;
    let end = at;
    for (; i < to; i++) {
      const c = text[i]!;
      if (c === ',' || c === ']' || c === '}') break;
      if (FLOW_STOP.test(c)) giveUp();
      if (c !== ' ') end = i + 1;
    }
    const value = plain(text.slice(at, end));
    if (typeof value === 'string' && value.length <= 3 && YAML11_BOOLEAN.test(value)) giveUp();
    return [value, i];
  }

  /** The text of the quoted scalar text[open..close]. */
  private quoted(open: number, close: number): string {
    const text = this.text;
    if (text.charCodeAt(open) === 0x27) return text.slice(open + 1, close).replace(/''/g, "'");
    const body = text.slice(open + 1, close);
    if (!body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const next = body[++i]!;
      const simple = ESCAPES[next];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      const hex = body.slice(i + 1, i + 1 + length);
      if (length === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) giveUp();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) giveUp();
      out += String.fromCodePoint(code);
      i += length;
    }
    return out;
  }
}

/** Escapes of double-quoted scalars that stand for one character (YAML 1.2, 5.7). */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** Characters that end a plain scalar of a flow collection, or that the reader leaves to yaml there. */
const FLOW_STOP = /[,\[\]{}:#"']/;

function skipSpaces(text: string, at: number, to: number): number {
  while (at < to && text.charCodeAt(at) === SPACE) at++;
  return at;
}

/**
 * First characters of a plain scalar the reader accepts: none of YAML's indicators (a `-` is
 * checked apart: it may start a plain scalar such as -1 when no space follows it).
 */
const PLAIN_START = /^[^,\[\]{}#&*!|>'"%@`?: ]/;

/** A plain scalar resolved as the core schema of YAML 1.2 does, in the yaml package's order of tags. */
function plain(source: string): unknown {
  // Most scalars are words: only ~, null, true, false, digits, signs and dots can start anything else.
  if (/^[a-eg-mo-su-zA-EG-MO-SU-Z_/$]/.test(source)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
