/**
 * The serializer as it was before it was tuned for speed (src/compiler/serialize.ts), kept unchanged as the
 * reference its output must match byte for byte (test/serialize-reference.test.ts).
 *
 * Canonical output serializer: the bytes users diff in git.
 *
 * Deterministic (keys sorted; `apiVersion`, `kind`, `metadata` first at the top level), kubectl-style
 * block YAML that reads back identically in YAML 1.2 (the `yaml` package) and YAML 1.1 readers such as
 * kubectl / go-yaml. Hand-written rather than `yaml.stringify` because it is many times faster and the
 * quoting rules are ours to pin down.
 */

/** Keys that lead a top-level Kubernetes object, in this order. */
const TOP_KEYS = ['apiVersion', 'kind', 'metadata'];

/** Object keys in canonical order, skipping properties whose value is `undefined`. */
export function canonicalKeys(obj: object, topLevel: boolean): string[] {
  const record = obj as Record<string, unknown>;
  const all = Object.keys(record);
  let keys: string[];
  if (all.length > 32) {
    keys = all.filter((key) => record[key] !== undefined).sort(); // sorts by UTF-16 code units, as `<` does
  } else {
    // Insertion sort: ~4x faster than Array#sort on the small objects manifests are made of.
    keys = [];
    for (const key of all) {
      if (record[key] === undefined) continue;
      let i = keys.length;
      for (; i > 0 && keys[i - 1]! > key; i--) keys[i] = keys[i - 1]!;
      keys[i] = key;
    }
  }
  if (!topLevel) return keys;
  const first = TOP_KEYS.filter((key) => record[key] !== undefined);
  return first.length === 0 ? keys : first.concat(keys.filter((key) => !TOP_KEYS.includes(key)));
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

/** A non-container value as YAML; `indent` is the indentation of its key or `-` (for block scalars). */
function yamlScalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      if (isPlain(value)) return value;
      return (value.includes('\n') && literalBlock(value, indent)) || doubleQuoted(value);
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

/** Rendered `key:` strings; manifests reuse a small vocabulary of keys, so this saves most quoting work. */
const keyCache = new Map<string, string>();

function keyText(key: string): string {
  let text = keyCache.get(key);
  if (text === undefined) {
    text = isPlain(key) ? key : doubleQuoted(key);
    // Implicit keys are limited to 1024 characters; longer ones need the explicit `? key` form.
    text = text.length > 1000 ? '? ' + text + '\n' : text;
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(key, text);
  }
  return text;
}

/**
 * Appends a value placed after `head` (a line's text up to and including `key:` or `-`). `indent` is the
 * indentation of that key or dash; `sep` separates `head` from the first line of a non-empty container: a
 * newline plus deeper indentation after a key, or a single space after a dash (the compact
 * `- key: value` form). Scalars and empty containers stay on the head line.
 */
function node(out: string[], head: string, value: unknown, indent: string, sep: string): void {
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) {
      if (value.length > 0) return sequence(out, value, indent + '  ', head + sep);
    } else {
      const keys = canonicalKeys(value, false);
      if (keys.length > 0) return mapping(out, value, keys, indent + '  ', head + sep);
    }
  }
  out.push(head + ' ' + yamlScalar(value, indent) + '\n');
}

/** Appends a block mapping at `indent` whose first line starts with `first` instead of the indentation. */
function mapping(out: string[], obj: object, keys: readonly string[], indent: string, first: string): void {
  const record = obj as Record<string, unknown>;
  const nested = '\n' + indent + '  ';
  let prefix = first;
  for (const key of keys) {
    const k = keyText(key);
    // An explicit `? key` line ends with a newline, and its `:` goes on the next line at `indent`.
    node(out, prefix + (k.charCodeAt(0) === 63 /* ? */ ? k + indent : k) + ':', record[key], indent, nested);
    prefix = indent;
  }
}

/** Appends a block sequence at `indent` whose first line starts with `first` instead of the indentation. */
function sequence(out: string[], items: readonly unknown[], indent: string, first: string): void {
  let prefix = first;
  for (const item of items) {
    node(out, prefix + '-', item, indent, ' ');
    prefix = indent;
  }
}

function yamlDocument(value: unknown): string {
  // Lines are collected in an array and joined per document: building one long `+=` string instead keeps
  // a deep rope of small strings alive until the end, and the garbage collector makes that ~2x slower.
  const out: string[] = [];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = canonicalKeys(value, true);
    if (keys.length > 0) mapping(out, value, keys, '', '');
    else out.push('{}\n');
  } else if (Array.isArray(value) && value.length > 0) sequence(out, value, '', '');
  else out.push(yamlScalar(value, '') + '\n');
  return out.join('');
}

/** A multi-document YAML stream: documents separated by `---` lines, ending with a single newline. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map(yamlDocument).join('---\n');
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
  const items = objects.map((item) => {
    const out: string[] = []; // joined per item, for the same reason as in `yamlDocument`
    json(out, '', item, '    ', true);
    return out.join('');
  });
  const body = items.length === 0 ? '[]' : '[\n    ' + items.join(',\n    ') + '\n  ]';
  return '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": ' + body + '\n}\n';
}
