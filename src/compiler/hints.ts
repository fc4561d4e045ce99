/**
 * Hints for schema errors: what to write instead, derived from the value the user wrote (a zone for a
 * region, a quoted number, a list where a mapping belongs, `8GB` for `8Gi`), with "did you mean"
 * where a near valid value exists. A hint never repeats the field's description: the message and
 * the description already say what the field is; the hint says what to do.
 */
import schema from '../../schema/serving.schema.json' with { type: 'json' };
import { closest, quoteList } from '../diagnostics/suggest.js';

export type Schema = Record<string, unknown>;

export interface HintInput {
  /** The JSON Schema keyword that failed (ajv's). */
  keyword: string;
  params: Record<string, unknown>;
  /** The value written (for `required`, the object missing the field). */
  value: unknown;
  /** The schema of the value, `$ref`s resolved (for `required` and `additionalProperties`, the object's). */
  field: Schema | undefined;
  /** Resolves a `$ref` in a nested schema. */
  resolve(node: Schema | undefined): Schema | undefined;
}

/** Longer hints are cut: a hint rebuilt from a huge value must not flood the terminal. */
const MAX_HINT = 200;

export function hintFor(input: HintInput): string | undefined {
  const hint = derive(input);
  return hint && hint.length > MAX_HINT ? `${hint.slice(0, MAX_HINT - 1)}…` : hint;
}

function derive(input: HintInput): string | undefined {
  const { keyword } = input;
  if (keyword === 'pattern' || keyword === 'format') return formHint(input.value, input.field);
  if (keyword === 'type') return typeHint(input);
  if (keyword === 'enum' || keyword === 'const') return choiceHint(input);
  if (keyword === 'required') return requiredHint(input);
  if (keyword === 'additionalProperties') return unknownFieldHint(input);
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength'].includes(keyword)) return rangeHint(input);
  return sizeHint(input);
}

/** A value of the wrong form: a known confusion first, then a repaired spelling the pattern accepts, then an example. */
export function formHint(value: unknown, field: Schema | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const zone = /^([a-z]{2}(?:-[a-z]+)+-[0-9]+)[a-z]$/.exec(value.trim());
  if (zone && accepts(field, zone[1]!)) return `a region, not a zone: ${zone[1]}`;
  const bytes = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT])(?:i?[bB])\s*$/.exec(value);
  if (bytes) {
    const fixed = `${bytes[1]}${bytes[2]!.toUpperCase()}i`;
    if (accepts(field, fixed)) return `Kubernetes writes binary units as Ki, Mi, Gi, Ti: did you mean "${fixed}"?`;
  }
  for (const candidate of repairs(value)) if (candidate !== value && accepts(field, candidate)) return `did you mean "${candidate}"?`;
  const example = exampleOf(field);
  return example === undefined ? undefined : `for example: ${render(example)}`;
}

/** Spellings a user may have meant, the most specific first: each is tried against the pattern. */
function repairs(value: string): string[] {
  const trimmed = value.trim();
  const out = [trimmed];
  const scheme = /^[a-z]+:\/\/([^/]+)\/?$/i.exec(trimmed);
  if (scheme) out.push(scheme[1]!);
  const duration = /^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$/i.exec(trimmed);
  if (duration) {
    const n = Number(duration[1]);
    const unit = duration[2]!.toLowerCase();
    out.push(unit.startsWith('h') ? `${n * 60}m` : `${n}${unit[0]}`);
  }
  const cores = /^(\d+(?:\.\d+)?)\s*(m|cores?|cpus?|vcpus?)?$/i.exec(trimmed);
  if (cores) out.push(`${cores[1]}${cores[2]?.toLowerCase() === 'm' ? 'm' : ''}`);
  const lower = trimmed.toLowerCase();
  const slug = lower.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  out.push(lower, slug, slug.replace(/^[^a-z]+/, ''));
  if (!/^[a-z]+:\/\//i.test(trimmed)) out.push(`http://${trimmed}`);
  return out;
}

function typeHint({ params, value, field, resolve }: HintInput): string | undefined {
  const expected = String(params.type).split(',');
  const numeric = expected.includes('integer') || expected.includes('number');
  if (numeric && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    const n = Number(value);
    if (!expected.includes('integer') || expected.includes('number') || Number.isInteger(n)) return `remove the quotes: ${n}`;
    return `a whole number, without quotes: ${Math.floor(n)} or ${Math.ceil(n)}`;
  }
  if (expected.includes('integer') && !expected.includes('number') && typeof value === 'number' && Number.isFinite(value)) {
    return `a whole number: ${Math.floor(value)} or ${Math.ceil(value)}`;
  }
  if (expected.includes('boolean') && typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['true', 'yes', 'on', 'y'].includes(word)) return 'write true, without quotes';
    if (['false', 'no', 'off', 'n'].includes(word)) return 'write false, without quotes';
  }
  if (expected.includes('object') && Array.isArray(value)) {
    const merged = mergeItems(value);
    if (merged) return `a mapping, not a list: ${render(merged)}`;
    const example = exampleOf(field, resolve);
    return `a mapping, not a list${example === undefined ? '' : `, for example: ${render(example)}`}`;
  }
  if (expected.includes('array') && !Array.isArray(value) && value !== null && typeof value !== 'object') {
    const items = typeof value === 'string' && value.includes(',') ? value.split(',').map((s) => s.trim()).filter(Boolean) : [value];
    return `a list: ${render(items)}`;
  }
  const example = exampleOf(field, resolve);
  return example === undefined ? undefined : `for example: ${render(example)}`;
}

/** [{v1: 70}, {v2: 30}] or ["v1: 70", "v2=30"] as one mapping, when every item is one key and value. */
function mergeItems(items: unknown[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
      Object.assign(out, item);
      continue;
    }
    const pair = typeof item === 'string' ? /^\s*([^:=\s]+)\s*[:=]\s*(\S+)\s*$/.exec(item) : null;
    if (!pair) return undefined;
    out[pair[1]!] = Number.isNaN(Number(pair[2])) ? pair[2] : Number(pair[2]);
  }
  return items.length ? out : undefined;
}

function choiceHint({ keyword, params, value }: HintInput): string {
  const allowed = (keyword === 'enum' ? params.allowedValues : [params.allowedValue]) as unknown[];
  if (typeof value === 'string') {
    const same = allowed.find((a) => String(a).toLowerCase() === value.trim().toLowerCase());
    if (same !== undefined) return typeof same === 'string' ? `write it as "${same}"` : `remove the quotes: ${String(same)}`;
    const guess = closest(value, allowed.map(String));
    if (guess) return `did you mean "${guess}"? allowed: ${quoteList(allowed)}`;
  }
  if (typeof value === 'number') {
    const numbers = allowed.filter((a): a is number => typeof a === 'number');
    if (numbers.length) {
      const near = numbers.reduce((a, b) => (Math.abs(b - value) < Math.abs(a - value) ? b : a));
      return `did you mean ${near}? allowed: ${quoteList(allowed)}`;
    }
  }
  return allowed.length === 1 ? `write ${quoteList(allowed)}` : `allowed: ${quoteList(allowed)}`;
}

function requiredHint({ params, field, resolve }: HintInput): string {
  const name = String(params.missingProperty);
  const property = resolve((field?.properties as Record<string, Schema> | undefined)?.[name]);
  const example = exampleOf(property, resolve, name);
  return `add ${name}: ${render(example ?? '...')}`;
}

function unknownFieldHint({ params, field }: HintInput): string | undefined {
  const name = String(params.additionalProperty);
  const known = Object.keys((field?.properties as object | undefined) ?? {});
  const guess = closest(name, known) ?? known.find((k) => k.toLowerCase() === name.replace(/[-_]/g, '').toLowerCase());
  if (guess) return `did you mean "${guess}"?`;
  const places = placesOf(name);
  if (places.length) return `${name} belongs under ${places.join(' or ')}; known fields here: ${known.join(', ')}`;
  return known.length ? `known fields here: ${known.join(', ')}` : 'remove it';
}

/** Where in a spec a field of this name is allowed, e.g. spec.versions[] for image. */
function placesOf(name: string): string[] {
  const root = schema as unknown as Schema;
  const resolve = (node: Schema | undefined): Schema | undefined =>
    node && typeof node.$ref === 'string' ? (node.$ref.slice(2).split('/').reduce<unknown>((o, k) => (o as Schema | undefined)?.[k], root) as Schema) : node;
  const found: string[] = [];
  const walk = (node: Schema | undefined, at: string, depth: number) => {
    node = resolve(node);
    if (!node || depth > 6) return;
    const props = node.properties as Record<string, Schema> | undefined;
    if (props && name in props && at) found.push(at);
    for (const [key, child] of Object.entries(props ?? {})) walk(child, at ? `${at}.${key}` : key, depth + 1);
    if (node.items) walk(node.items as Schema, `${at}[]`, depth + 1);
  };
  walk(root, '', 0);
  return found;
}

function rangeHint({ keyword, params, value, field }: HintInput): string | undefined {
  const limit = Number(params.limit);
  const description = typeof field?.description === 'string' ? field.description : '';
  if (typeof value === 'number' && value > 0 && value < 1 && /percent/i.test(description)) {
    return `it is a percentage, not a fraction: did you mean ${Number((value * 100).toPrecision(12))}?`;
  }
  if (typeof value === 'string') {
    if (keyword === 'maxLength') return `shorten it by ${value.length - limit} character${value.length - limit === 1 ? '' : 's'}`;
    if (keyword === 'minLength') return field?.default !== undefined ? `write a value, or remove the field for the default ${render(field.default)}` : 'write a value, or remove the field';
  }
  const fallback = field?.default !== undefined ? ` (or remove the field for the default ${render(field.default)})` : '';
  if (keyword === 'minimum') return `use ${limit} or more${fallback}`;
  if (keyword === 'maximum') return `use ${limit} or less${fallback}`;
  if (keyword === 'exclusiveMinimum') return `use a number above ${limit}${fallback}`;
  if (keyword === 'exclusiveMaximum') return `use a number below ${limit}${fallback}`;
  return undefined;
}

function sizeHint({ keyword, params, field, resolve }: HintInput): string | undefined {
  const props = Object.keys((field?.properties as object | undefined) ?? {});
  if (keyword === 'minItems') {
    const item = exampleOf(resolve(field?.items as Schema | undefined), resolve);
    return item === undefined ? `add ${String(params.limit)} or more items` : `add an item, for example: ${render([item])}`;
  }
  if (keyword === 'maxItems') return `remove items down to ${String(params.limit)}`;
  if (keyword === 'uniqueItems') return `remove item ${String(params.i)}, the repeat of item ${String(params.j)}`;
  if (keyword === 'maxProperties') return params.limit === 1 ? `keep one of ${props.join(', ')} and remove the rest` : `remove fields down to ${String(params.limit)}`;
  if (keyword === 'minProperties') return props.length ? `add one of: ${props.join(', ')}` : 'add a field';
  return undefined;
}

/** A value the schema accepts for this node: its example, default, const or first choice, or one built from its parts. */
export function exampleOf(node: Schema | undefined, resolve: (n: Schema | undefined) => Schema | undefined = (n) => n, key?: string, depth = 0): unknown {
  node = resolve(node);
  if (!node || depth > 4) return undefined;
  if (Array.isArray(node.examples) && node.examples.length) return node.examples[0];
  if (node.default !== undefined) return node.default;
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (type === 'object') {
    const required = (node.required as string[] | undefined) ?? [];
    const props = (node.properties as Record<string, Schema> | undefined) ?? {};
    const out: Record<string, unknown> = {};
    for (const r of required) out[r] = exampleOf(props[r], resolve, r, depth + 1) ?? '...';
    return out;
  }
  if (type === 'array') {
    const item = exampleOf(node.items as Schema | undefined, resolve, key, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (type === 'integer' || type === 'number') return typeof node.minimum === 'number' ? Math.max(node.minimum, 1) : 1;
  if (type === 'boolean') return true;
  if (type === 'string' && key) {
    const candidate = key === 'name' ? 'v1' : `my-${key.toLowerCase()}`;
    if (accepts(node, candidate)) return candidate;
  }
  return undefined;
}

function accepts(field: Schema | undefined, candidate: string): boolean {
  if (typeof field?.pattern !== 'string') return false;
  if (typeof field.maxLength === 'number' && candidate.length > field.maxLength) return false;
  try {
    return new RegExp(field.pattern, 'u').test(candidate);
  } catch {
    return false;
  }
}

/** A value as it would be written in a YAML flow: {v1: 70, v2: 30}, [grpc, rest], "text". */
export function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
  if (typeof value === 'string') return /^[A-Za-z0-9_./-][A-Za-z0-9_.:/@-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n|~|[-+.\d].*)$/i.test(value) ? value : JSON.stringify(value);
  return String(value);
}
