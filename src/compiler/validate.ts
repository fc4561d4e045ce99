import type { ErrorObject } from 'ajv';
import schema from '../../schema/serving.schema.json' with { type: 'json' };
import { validate as validateGenerated } from './validate.gen.js';
import type { Code } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/path.js';
import { locate, scalarAt } from './locate.js';
import type { ParsedDoc, PathSegment, SpecPath } from './parse.js';
import { booleanWords, inlineSecrets } from './traps.js';
import type { DiagnosticSink } from '../diagnostics/sink.js';
import { closest } from '../diagnostics/suggest.js';
import { formHint, hintFor } from './hints.js';
import { ajvClause } from './upstream.js';
import type { ModelService } from './spec.gen.js';

/** The generated validator, typed as ajv's own validate functions are. */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validator = validateGenerated as unknown as Validator;

/**
 * Checks one document against the schema, and for the YAML traps that change a value's meaning
 * silently. Returns the typed spec when it is valid.
 */
export function validateDoc(parsed: ParsedDoc, sink: DiagnosticSink): ModelService | undefined {
  const before = sink.errors;
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a list' : data === null ? 'empty' : `the ${typeof data} ${JSON.stringify(data)}`;
    sink.at(parsed.source, 'SV009', `the document is ${what}, not a mapping`, locate(parsed, []), {
      hint: 'a spec is a mapping with apiVersion, kind, metadata and spec',
    });
    return undefined;
  }
  const record = data as Record<string, unknown>;
  // A document that names neither servec's apiVersion nor its kind is something else altogether;
  // one that names either is a spec with a mistake, left to the schema to explain.
  const ours = record.kind === schema.properties.kind.const || String(record.apiVersion ?? '').startsWith('servec.dev/');
  if (!ours) {
    const what = record.apiVersion === undefined && record.kind === undefined
      ? 'has neither apiVersion nor kind'
      : `is ${display(record.apiVersion, 'no apiVersion')} ${display(record.kind, 'no kind')}`;
    sink.at(parsed.source, 'SV010', `this document ${what}, so it is not a servec ModelService`, locate(parsed, record.apiVersion === undefined ? [] : ['apiVersion']), {
      hint: 'a spec starts with `apiVersion: servec.dev/v1alpha1` and `kind: ModelService`; keep other manifests in other files',
    });
    return undefined;
  }
  const trapped = [...inlineSecrets(parsed, sink), ...booleanWords(parsed, sink)];
  if (!validator(data)) {
    const errors = (validator.errors ?? []).slice();
    const reported = new Set<string>(trapped);
    // Report the most telling error per place: a type error hides format errors of the same value.
    errors.sort((a, b) => rank(a.keyword) - rank(b.keyword));
    for (const error of errors) report(parsed, error, sink, reported);
  }
  return sink.errors === before ? (data as ModelService) : undefined;
}

/** Type errors first (they explain the rest), then unknown fields (a misspelt field explains a missing one). */
function rank(keyword: string): number {
  return ['type', 'additionalProperties', 'required'].indexOf(keyword) + 1 || 4;
}

function report(parsed: ParsedDoc, error: ErrorObject, sink: DiagnosticSink, reported: Set<string>): void {
  const path = pointerToPath(error.instancePath);
  const where = formatPath(path) || 'the spec';
  const subschema = schemaAt(error.schemaPath.replace(/\/[^/]+$/, ''));
  const value = valueAt(parsed.data, path);
  const hint = () => hintFor({ keyword: error.keyword, params: error.params as Record<string, unknown>, value, field: subschema, resolve });
  const say = (code: Code, at: SpecPath, message: string, hint?: string, want: 'key' | 'value' = 'value', anchor: SpecPath = at) => {
    const id = formatPath(at);
    if (reported.has(id)) return;
    reported.add(id);
    sink.at(parsed.source, code, message, locate(parsed, anchor, want), { path: at, hint });
  };
  if (error.keyword === 'propertyNames') return; // its inner error, which names the key, says it better
  if (error.propertyName !== undefined) {
    const name = error.propertyName;
    const rule = schemaAt(error.schemaPath.replace(/\/(pattern|not|maxLength)$/, ''));
    // A reserved key is either servec's own or, under an applyset prefix, kubectl's ApplySet membership.
    const reserved = error.keyword === 'not';
    const owner = !reserved ? '' : name.startsWith('applyset.') ? ': kubectl reserves it for ApplySet pruning' : ': servec sets it itself';
    const keyHint = reserved ? `choose another key, such as team` : error.keyword === 'maxLength' ? `shorten it by ${name.length - Number(error.params.limit)} characters` : formHint(name, rule);
    say('SV105', [...path, name], `${JSON.stringify(name)} cannot be a key of ${where}${owner}`, keyHint, 'key');
    return;
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      const at = [...path, name];
      const known = Object.keys((subschema?.properties as object | undefined) ?? {});
      const guess = closest(name, known);
      // The misspelling explains the missing field: report it once, here.
      if (guess) reported.add(formatPath([...path, guess]));
      say('SV101', at, `unknown field "${name}" in ${where}`, hint(), 'key');
      return;
    }
    case 'required': {
      const name = String(error.params.missingProperty);
      // Point at the parent's key: the field belongs under it.
      say('SV102', [...path, name], `${where} is missing the required field "${name}"`, hint(), 'key', path);
      return;
    }
    case 'type': {
      const expected = String(error.params.type).split(',');
      const scalar = scalarAt(parsed, path);
      if (expected.includes('string') && scalar?.type === 'PLAIN' && (typeof value === 'number' || typeof value === 'boolean')) {
        say('SV108', path, `YAML reads \`${scalar.source}\` as the ${typeof value} ${String(value)}, but ${where} is text`,
          `quote it: "${scalar.source}"`);
        return;
      }
      say('SV103', path, `${where} must be ${expected.map(article).join(' or ')}, not ${kindOf(value)}`, hint());
      return;
    }
    case 'enum':
    case 'const': {
      say('SV104', path, `${where} cannot be ${JSON.stringify(value)}`, hint());
      return;
    }
    case 'pattern':
    case 'format':
      say('SV105', path, `${where} is not in the expected form: ${JSON.stringify(value)}`, hint());
      return;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength': {
      const limit = error.params.limit;
      const bound = {
        minimum: `at least ${limit}`,
        maximum: `at most ${limit}`,
        exclusiveMinimum: `more than ${limit}`,
        exclusiveMaximum: `less than ${limit}`,
        minLength: limit === 1 ? 'not empty' : `at least ${limit} characters long`,
        maxLength: `at most ${limit} characters long`,
      }[error.keyword];
      say('SV106', path, `${where} must be ${bound}`, hint());
      return;
    }
    default: {
      // An unknown field already explains why an object has too many fields.
      if (error.keyword === 'maxProperties' && [...reported].some((id) => id.startsWith(`${where}.`))) return;
      const detail = {
        minItems: `needs at least ${String(error.params.limit)} item(s)`,
        maxItems: `takes at most ${String(error.params.limit)} items`,
        minProperties: `needs at least ${String(error.params.limit)} field(s)`,
        maxProperties:
          error.params.limit === 1
            ? `takes only one of ${Object.keys((subschema?.properties as object | undefined) ?? {}).join(', ')}`
            : `takes at most ${String(error.params.limit)} fields`,
        uniqueItems: `has the same item twice (items ${String(error.params.j)} and ${String(error.params.i)})`,
      }[error.keyword] ?? ajvClause(error);
      say('SV107', path, `${where} ${detail}`, hint());
    }
  }
}

type Schema = Record<string, unknown>;

function schemaAt(pointer: string): Schema | undefined {
  let node: unknown = schema;
  for (const raw of pointer.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node && typeof node === 'object' && '$ref' in node) node = schemaAt(String((node as Schema).$ref));
  }
  return node as Schema | undefined;
}

function resolve(node: Schema | undefined): Schema | undefined {
  return node && '$ref' in node ? schemaAt(String(node.$ref)) : node;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
    });
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let node = data;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

function display(value: unknown, missing: string): string {
  if (value === undefined || value === null) return `(${missing})`;
  return typeof value === 'string' ? value : kindOf(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'number' && !Number.isFinite(value)) return `the number ${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'}`;
  if (value instanceof Uint8Array) return 'binary data (a !!binary tag)';
  if (value instanceof Date) return 'a date';
  if (value instanceof Map || value instanceof Set) return 'a tagged collection';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the text' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}

export { schema };
