/**
 * Canonical output serializer: the bytes users diff in git.
 *
 * Deterministic (keys sorted; `apiVersion`, `kind`, `metadata` first at the top level), kubectl-style
 * block YAML that reads back identically in YAML 1.2 (the `yaml` package) and YAML 1.1 readers such as
 * kubectl / go-yaml. Hand-written rather than `yaml.stringify` because it is many times faster and the
 * quoting rules are ours to pin down.
 */

/** Keys that lead a top-level Kubernetes object, in this order. */
const TOP_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * Object keys in canonical order, skipping properties whose value is `undefined`. The result may be
 * shared with other calls: read it, never change it.
 */
export function canonicalKeys(obj: object, topLevel: boolean): readonly string[] {
  const record = obj as Record<string, unknown>;
  const all = Object.keys(record);
  const known = knownOrder(all, topLevel);
  // Which keys have no value, as bits (objects of more than 30 keys are rare: filtered each time).
  let absent = 0;
  for (let i = 0; i < all.length; i++) if (record[all[i]!] === undefined) absent |= 1 << Math.min(i, 30);
  if (absent === 0) return known.order;
  let order = all.length <= 30 ? known.without?.get(absent) : undefined;
  if (order === undefined) {
    order = known.order.filter((key) => record[key] !== undefined);
    if (all.length <= 30) (known.without ??= new Map()).set(absent, order);
  }
  return order;
}

interface KnownOrder {
  keys: readonly string[];
  order: readonly string[];
  /** The order without the keys whose values are undefined, by the bits of their positions in `keys`. */
  without?: Map<number, readonly string[]>;
}

/**
 * Canonical orders already worked out, by the first key of the key list they order (one table for
 * nested objects, one for top-level ones). Manifests are built from a few dozen object literals, each
 * giving the same keys in the same order every time, and mostly the same of them undefined:
 * recognising the list replaces sorting and filtering it into new arrays (65 of the 214 MB a 1,000-spec
 * build allocated, measured with the sampling heap profiler). Cleared when full.
 */
const ORDERS: readonly [Map<string, KnownOrder[]>, Map<string, KnownOrder[]>] = [new Map(), new Map()];
/** Key lists remembered per first key: objects with keys of their own (labels, data) vary without end. */
const ORDERS_PER_KEY = 8;

function knownOrder(all: string[], topLevel: boolean): KnownOrder {
  if (all.length === 0) return { keys: all, order: all };
  const orders = ORDERS[topLevel ? 1 : 0];
  let known = orders.get(all[0]!);
  if (known !== undefined) {
    for (const entry of known) if (sameKeys(entry.keys, all)) return entry;
  } else {
    if (orders.size >= CACHE_LIMIT) orders.clear();
    orders.set(all[0]!, (known = []));
  }
  const entry = { keys: all, order: sortKeys(all, topLevel) };
  if (known.length < ORDERS_PER_KEY) known.push(entry);
  return entry;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `all` sorted by UTF-16 code units (as `<` compares), with TOP_KEYS first at the top level. */
function sortKeys(all: readonly string[], topLevel: boolean): string[] {
  let keys: string[];
  if (all.length > 32) keys = all.slice().sort();
  else {
    // Insertion sort: ~4x faster than Array#sort on the small objects manifests are made of.
    keys = [];
    for (const key of all) {
      let i = keys.length;
      for (; i > 0 && keys[i - 1]! > key; i--) keys[i] = keys[i - 1]!;
      keys[i] = key;
    }
  }
  if (!topLevel) return keys;
  const ordered = TOP_KEYS.filter((key) => keys.includes(key));
  if (ordered.length === 0) return keys;
  for (const key of keys) if (!TOP_KEYS.includes(key)) ordered.push(key);
  return ordered;
}

// ---------------------------------------------------------------------------------------------------
// Scalars

/**
 * Conservative allow-list for plain (unquoted) strings: starts with a letter, digit or `/`; otherwise only
 * `[A-Za-z0-9._/@+=-]`, with `:` and single spaces allowed only when followed by one of those. That rules
 * out indicators at the start, `: `, ` #`, a trailing `:` or space, doubled spaces, and all control chars.
 */
const PLAIN = /^[A-Za-z0-9/](?:[A-Za-z0-9._/@+=-]|[: ](?=[A-Za-z0-9._/@+=-]))*$/;
/**
 * Letter-led traps: YAML 1.1 booleans and nulls (go-yaml accepts each in several cases; we refuse all
 * cases), and `e3`-like exponents, which the `yaml` package's 1.1 schema wrongly reads as a float (NaN).
 */
const KEYWORD = /^(?:true|false|yes|no|y|n|on|off|null|e[-+]?[0-9]+)$/i;
/**
 * Anything starting with a digit made only of number-ish characters: ints in any base (`0777`, `0o17`,
 * `0x1F`, `0b1`), `1_000`, floats (`1.10`, `1e3`), 1.1 sexagesimals (`1:20`) and Go hex floats (`0x1p-2`).
 * Over-quotes harmless strings like `12ab`; keeps `100m` and `1Gi` plain.
 */
const NUMBERISH = /^[0-9][0-9a-fA-FoOxXpP_.:+-]*$/;
/** YAML 1.1 timestamps start with a date (`2001-12-14`, `2001-12-14 21:59:43.10 -5`). */
const DATE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

function isPlain(s: string): boolean {
  if (!PLAIN.test(s)) return false;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) return !NUMBERISH.test(s) && !DATE.test(s);
  return !KEYWORD.test(s);
}

/**
 * Characters a double-quoted scalar must escape: `"` and `\`, C0 controls, DEL, C1 controls, the Unicode
 * line/paragraph separators, BOM, the non-characters U+FFFE/U+FFFF, and lone surrogates (which UTF-8
 * cannot carry; the `yaml` parser turns `\uD800` back into the lone surrogate).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPE = new RegExp(/["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/.source + '|' + LONE_SURROGATE.source, 'g');
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function escapeChar(ch: string): string {
  return SHORT_ESCAPES[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

function doubleQuoted(s: string): string {
  return '"' + s.replace(ESCAPE, escapeChar) + '"';
}

/**
 * Literal blocks (`|`) are only used when they read back exactly, in go-yaml as well: no character that
 * would need an escape (tabs are fine) nor `\r`; no trailing spaces or tabs on any line (also rules out
 * whitespace-only lines); at most one final newline (`|` clips to one, `|-` strips it; `|+` is not worth
 * it); and the first non-empty line must not start with a space (indentation is auto-detected from it)
 * nor a tab (libyaml rejects a tab where it is still detecting indentation).
 */
const NOT_LITERAL = new RegExp(
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[ \t](?:\n|$)|\n\n$|^\n*[ \t]/.source + '|' + LONE_SURROGATE.source,
);

function literalBlock(s: string, indent: string): string | undefined {
  if (NOT_LITERAL.test(s) || !/[^\n]/.test(s)) return undefined; // all-newline content would clip to ''
  const clip = s.endsWith('\n');
  const lines = (clip ? s.slice(0, -1) : s).split('\n');
  const pad = '\n' + indent + '  ';
  let out = clip ? '|' : '|-';
  for (const line of lines) out += line === '' ? '\n' : pad + line;
  return out;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`serialize: non-finite number ${n}`);
  return String(n); // the shortest form that reads back as `n`; String(-0) is '0'; 1e21 becomes `1e+21`
}

/** A non-string, non-container value as YAML. */
function otherScalar(value: unknown): string {
  switch (typeof value) {
    case 'number': {
      // YAML 1.1 floats need a `.` (PyYAML reads `1e+21` as a string); `1.0e+21` is a float everywhere.
      const text = numberText(value);
      return text.includes('e') && !text.includes('.') ? text.replace('e', '.0e') : text;
    }
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined': // only reachable inside arrays; mirror JSON.stringify
    case 'object': // null, or an empty object/array (containers with content never get here)
      return value === null || value === undefined ? 'null' : Array.isArray(value) ? '[]' : '{}';
    default:
      throw new Error(`serialize: unsupported value of type ${typeof value}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// YAML blocks
//
// Text is appended piece by piece to one string (V8 keeps it as a rope until it is read, then copies it
// once), each line as a head, `\n` + indentation + `key:` (or `-`), then a tail, ` value`. Heads and most
// tails recur (manifests reuse a small vocabulary of keys and values at the same depths), so they come
// from caches and a typical line allocates no text of its own. Measured on a 1,000-spec build, this takes
// about half the CPU time of building each line and joining arrays of lines.

/** Caches are cleared when full: bounded memory; a build's recurring vocabulary refills them at once. */
const CACHE_LIMIT = 4096;

/** `key` as written before its `:`: plain or double-quoted, and over 1,000 characters as `? key` + newline. */
function keyText(key: string): string {
  const text = isPlain(key) ? key : doubleQuoted(key);
  // Implicit keys are limited to 1024 characters; longer ones need the explicit `? key` form.
  return text.length > 1000 ? '? ' + text + '\n' : text;
}

/** `key:` written after `lead` at `indent`: a long key's `:` goes on a line of its own at `indent`. */
function keyHead(lead: string, key: string, indent: string): string {
  const text = keyText(key);
  return text.charCodeAt(0) === 63 /* ? */ ? lead + text + indent + ':' : lead + text + ':';
}

/** Indentation by nesting level (two spaces each), and the heads of keys at each level. */
const INDENT: string[] = [''];
const HEADS: Map<string, string>[] = [new Map()];

function indent(level: number): string {
  while (INDENT.length <= level) {
    INDENT.push(INDENT[INDENT.length - 1] + '  ');
    HEADS.push(new Map());
  }
  return INDENT[level]!;
}

/** `\n` + indentation + `key:`: a key at `level` that starts its line. */
function head(key: string, level: number): string {
  const heads = HEADS[level] ?? (indent(level), HEADS[level]!);
  let text = heads.get(key);
  if (text === undefined) {
    text = keyHead('\n' + INDENT[level], key, INDENT[level]!);
    if (heads.size >= CACHE_LIMIT) heads.clear();
    heads.set(key, text);
  }
  return text;
}

/** ` key:`: the first key of a mapping that is a sequence item, on the dash's line (`- key: value`). */
const COMPACT = new Map<string, string>();

function compactHead(key: string, level: number): string {
  let text = COMPACT.get(key);
  if (text === undefined) {
    text = keyHead(' ', key, indent(level));
    // A long key's form depends on the indentation: built each time (rare), never cached.
    if (text.charCodeAt(1) === 63 /* ? */) return text;
    if (COMPACT.size >= CACHE_LIMIT) COMPACT.clear();
    COMPACT.set(key, text);
  }
  return text;
}

/** `\n` + indentation + `-`, by level. */
const DASHES: string[] = [];

function dash(level: number): string {
  while (DASHES.length <= level) DASHES.push('\n' + indent(DASHES.length) + '-');
  return DASHES[level]!;
}

/** Tails (` value`) of single-line strings: plain or double-quoted, whatever the indentation. */
const TAILS = new Map<string, string>();

function stringTail(s: string): string {
  let text = TAILS.get(s);
  if (text === undefined) {
    text = ' ' + (isPlain(s) ? s : doubleQuoted(s));
    if (TAILS.size >= CACHE_LIMIT) TAILS.clear();
    TAILS.set(s, text);
  }
  return text;
}

/** Where a container's first line starts: on a line of its own, after a dash, or at a document's start. */
const enum Start {
  Line,
  Dash,
  Document,
}

/**
 * `out` followed by what follows a head (`key:` or `-` at `level`). A non-empty container starts on the
 * next line, one level deeper, after a key; on the same line after a dash (the `- key: value` form).
 * Scalars and empty containers stay on the head line.
 */
function node(out: string, value: unknown, level: number, start: Start): string {
  if (typeof value === 'string') {
    // A multi-line string may become a literal block, whose lines depend on the indentation.
    const block = value.includes('\n') ? literalBlock(value, indent(level)) : undefined;
    return block === undefined ? out + stringTail(value) : out + ' ' + block;
  }
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) {
      if (value.length > 0) return sequence(out, value, level + 1, start);
    } else {
      const keys = canonicalKeys(value, false);
      if (keys.length > 0) return mapping(out, value, keys, level + 1, start);
    }
  }
  return out + ' ' + otherScalar(value);
}

/** `out` followed by a block mapping at `level`, its first key placed as `start` says. */
function mapping(out: string, obj: object, keys: readonly string[], level: number, start: Start): string {
  const record = obj as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0 || start === Start.Line) out += head(key, level);
    else out += start === Start.Dash ? compactHead(key, level) : compactHead(key, level).slice(1);
    out = node(out, record[key], level, Start.Line);
  }
  return out;
}

/** `out` followed by a block sequence at `level`, its first dash placed as `start` says. */
function sequence(out: string, items: readonly unknown[], level: number, start: Start): string {
  for (let i = 0; i < items.length; i++) {
    out += i > 0 || start === Start.Line ? dash(level) : start === Start.Dash ? ' -' : '-';
    out = node(out, items[i], level, Start.Dash);
  }
  return out;
}

/** `out` followed by one document. */
function yamlDocument(out: string, value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = canonicalKeys(value, true);
    if (keys.length === 0) return out + '{}\n';
    return mapping(out, value, keys, 0, Start.Document) + '\n';
  }
  if (Array.isArray(value) && value.length > 0) return sequence(out, value, 0, Start.Document) + '\n';
  return out + node('', value, 0, Start.Line).slice(1) + '\n'; // a scalar's tail, without its space
}

/** A multi-document YAML stream: documents separated by `---` lines, ending with a single newline. */
export function toYaml(objects: readonly unknown[]): string {
  // Joined from pieces so that no more than one piece's rope is alive at a time: a rope of a whole
  // stream (a million small strings for 1,000 specs) outlives the young generation and costs the
  // collector more than the copy saves.
  const pieces: string[] = [];
  writeYaml(objects, (piece) => void pieces.push(piece), PIECE);
  return pieces.length === 1 ? pieces[0]! : pieces.join('');
}

/** Characters per piece of `toYaml`'s stream: well under the 128 KiB where long strings begin. */
const PIECE = 1 << 16;

/**
 * The stream `toYaml` makes, handed to `write` in pieces of whole documents of at least `size`
 * characters (the last may be shorter). Pieces well under 128 KiB are much cheaper than one long text:
 * V8 places longer strings, and Node longer buffers, in freshly mapped memory, page by page.
 */
export function writeYaml(objects: readonly unknown[], write: (text: string) => void, size: number): void {
  writeStream(objects.length, (out, i) => yamlDocument(out, objects[i]), write, size);
}

/**
 * `writeYaml`'s stream from documents already serialized one object each (`toYaml([object])`, as
 * compile() keeps them with `as: 'yaml'`): the same pieces, so the same bytes.
 */
export function writeDocuments(documents: readonly string[], write: (text: string) => void, size: number): void {
  writeStream(documents.length, (out, i) => out + documents[i], write, size);
}

/** `count` documents, each appended by `append`, separated by `---` lines and written in pieces of at least `size`. */
function writeStream(count: number, append: (out: string, i: number) => string, write: (text: string) => void, size: number): void {
  let out = '';
  for (let i = 0; i < count; i++) {
    out = append(i === 0 ? out : out + '---\n', i);
    if (out.length >= size) {
      write(flat(out));
      out = '';
    }
  }
  if (out !== '') write(flat(out));
}

/**
 * `s` with its rope copied into one flat string now (V8 flattens a rope to read a character of it). A
 * consumer would flatten it anyway, but not all do it well: `Array#join` of 64 Ki-character ropes into
 * one string measured ~1.8x slower than the same join of flattened pieces.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// JSON

/**
 * Appends `value` as `JSON.stringify(value, null, 2)` would, but with canonical key order and a guard on
 * non-finite numbers. `head` is the text before the value on its line, as in `node`.
 */
function json(out: string[], head: string, value: unknown, indent: string, top: boolean): void {
  if (typeof value !== 'object' || value === null) return void out.push(head + jsonScalar(value));
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push(head + '[]');
    for (let i = 0; i < value.length; i++) json(out, (i === 0 ? head + '[\n' : ',\n') + inner, value[i], inner, false);
    return void out.push('\n' + indent + ']');
  }
  const record = value as Record<string, unknown>;
  const keys = canonicalKeys(value, top);
  if (keys.length === 0) return void out.push(head + '{}');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    json(out, (i === 0 ? head + '{\n' : ',\n') + inner + JSON.stringify(key) + ': ', record[key], inner, false);
  }
  out.push('\n' + indent + '}');
}

function jsonScalar(value: unknown): string {
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null'; // undefined only inside arrays, as JSON.stringify
  throw new Error(`serialize: unsupported value of type ${typeof value}`);
}

/** A `v1` `List` holding the objects, pretty printed with 2-space indentation and a trailing newline. */
export function toJsonList(objects: readonly unknown[]): string {
  const pieces: string[] = []; // as in `toYaml`: no long text built before the one returned
  writeJsonList(objects, (piece) => void pieces.push(piece), PIECE);
  return pieces.join('');
}

/** The text `toJsonList` makes, handed to `write` in pieces of whole items of at least `size` characters. */
export function writeJsonList(objects: readonly unknown[], write: (text: string) => void, size: number): void {
  const head = '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": ';
  const tail = '\n}\n';
  if (objects.length === 0) return write(head + '[]' + tail);
  let text = head + '[\n    ';
  for (let i = 0; i < objects.length; i++) {
    const out: string[] = []; // joined per item: a rope of the whole list would outlive the young generation
    json(out, '', objects[i], '    ', true);
    text += (i === 0 ? '' : ',\n    ') + out.join('');
    if (text.length >= size && i < objects.length - 1) {
      write(text);
      text = '';
    }
  }
  write(text + '\n  ]' + tail);
}
