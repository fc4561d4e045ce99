/**
 * Validates emitted manifests against the upstream schemas, kept as trimmed copies in
 * test/fixtures/upstream-schemas (see SOURCES.md there): Kubernetes' own OpenAPI v3 documents for
 * built-in kinds, and the CRDs' openAPIV3Schema for Istio, Flagger, prometheus-operator and
 * Gateway API kinds.
 *
 * The upstream schemas only say which fields exist; they do not forbid others, because the
 * API server does not reject unknown fields of a custom resource: it prunes them (drops them
 * silently). For an emitter that is the worst kind of bug, so before compiling, every object
 * schema that lists its properties is closed with `additionalProperties: false` unless it
 * opts out with `x-kubernetes-preserve-unknown-fields: true` (see closeObjects).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { vendoredSchemasDir } from './paths.js';

export interface Conformance {
  /** [] when `obj` conforms, else one human-readable line per problem, e.g.
   * `Deployment/resnet-v1: /spec/template/spec/containers/0/foo: unknown field`. */
  validate(obj: unknown): string[];
}

type Schema = { [keyword: string]: unknown };

const K8S_OPENAPI_DIR = 'k8s-openapi/1.35';
/** $id under which the merged Kubernetes components are registered with ajv. */
const K8S_DOC_ID = 'k8s-openapi.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Schema rewriting (structural-schema semantics)

/**
 * Closes object schemas in place, recursing only through the structural positions
 * (properties, items, additionalProperties). Subschemas of allOf/anyOf/oneOf/not are left
 * alone: in structural schemas they only add constraints on fields declared outside them,
 * and closing them would reject the fields their siblings declare.
 *
 * `crd` adds the custom-resource rule that an object schema declaring no properties at all
 * (and not preserving unknown fields) is pruned to `{}` by the API server. Built-in types
 * differ: there `type: object` alone (RawExtension, FieldsV1) means free-form.
 */
function closeObjects(node: Schema, crd: boolean, formats: Set<string>): void {
  if (typeof node.format === 'string') formats.add(node.format);
  // A CRD int-or-string field may carry no type at all (Flagger's service.targetPort).
  if (node['x-kubernetes-int-or-string'] === true && !node.type && !node.anyOf && !node.oneOf) {
    node.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const properties = isSchema(node.properties) ? node.properties : undefined;
  const preservesUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!preservesUnknown && node.additionalProperties === undefined) {
    if (properties || (crd && node.type === 'object')) node.additionalProperties = false;
  }
  for (const child of Object.values(properties ?? {})) if (isSchema(child)) closeObjects(child, crd, formats);
  if (isSchema(node.items)) closeObjects(node.items, crd, formats);
  if (isSchema(node.additionalProperties)) closeObjects(node.additionalProperties, crd, formats);
}

/**
 * Root schema of a custom resource. The API server always accepts apiVersion, kind and
 * metadata at the top, whatever the CRD declares (Istio's declare only spec and status), and
 * validates metadata as ObjectMeta, not by the CRD's usual bare `type: object`. Rewrites
 * the parsed schema in place.
 */
function customResourceRoot(root: Schema, formats: Set<string>): Schema {
  root.properties = {
    ...(isSchema(root.properties) ? root.properties : {}),
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { $ref: `${K8S_DOC_ID}#/components/schemas/${OBJECT_META}` },
  };
  closeObjects(root, true, formats);
  return root;
}

// ---------------------------------------------------------------------------------------------
// Loading

interface Loaded {
  /** Kubernetes components merged from all OpenAPI documents (names are fully qualified). */
  k8sComponents: Record<string, Schema>;
  /** `apiVersion kind` -> how to get its schema. */
  kinds: Map<string, KindEntry>;
  formats: Set<string>;
}

type KindEntry = { source: 'builtin'; component: string } | { source: 'crd'; schema: Schema };

const kindKey = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return jsonFilesUnder(full);
      return entry.name.endsWith('.json') ? [full] : [];
    });
}

/** Reads every OpenAPI v3 document and indexes kinds by `x-kubernetes-group-version-kind`. */
function loadBuiltins(schemasDir: string, loaded: Loaded): void {
  for (const file of jsonFilesUnder(path.join(schemasDir, K8S_OPENAPI_DIR))) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { components?: { schemas?: Record<string, Schema> } };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (name in loaded.k8sComponents) continue; // shared types are identical across documents
      closeObjects(schema, false, loaded.formats);
      loaded.k8sComponents[name] = schema;
      const gvks = schema['x-kubernetes-group-version-kind'];
      for (const { group, version, kind } of Array.isArray(gvks) ? (gvks as Record<string, string>[]) : []) {
        const key = kindKey(group ? `${group}/${version}` : `${version}`, `${kind}`);
        if (!loaded.kinds.has(key)) loaded.kinds.set(key, { source: 'builtin', component: name });
      }
    }
  }
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: Schema };
}
interface Crd {
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

/** Registers every served version of every CRD in the copies (scripts/upstream-schemas.mjs chose them). */
function loadCrds(schemasDir: string, loaded: Loaded): void {
  for (const file of jsonFilesUnder(path.join(schemasDir, 'crds'))) {
    for (const crd of JSON.parse(readFileSync(file, 'utf8')) as Crd[]) {
      for (const version of crd.spec.versions) {
        const openAPIV3Schema = version.schema?.openAPIV3Schema;
        if (!version.served || !openAPIV3Schema) continue;
        const key = kindKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind);
        loaded.kinds.set(key, { source: 'crd', schema: customResourceRoot(openAPIV3Schema, loaded.formats) });
      }
    }
  }
}

/**
 * CRD patterns are Go (RE2) regular expressions. The one construct upstream uses that
 * JavaScript lacks is a leading case-insensitivity flag, `^(?i)(abort|warn)?$` in
 * prometheus-operator's CRDs, which becomes the `i` flag.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const caseless = /^(\^?)\(\?i\)/;
    return caseless.test(pattern) ? new RegExp(pattern.replace(caseless, '$1'), `${flags}i`) : new RegExp(pattern, flags);
  },
  { code: 'goRegExp' }, // only used by ajv's standalone code generation
);

function newAjv(loaded: Loaded): Ajv {
  const ajv = new Ajv({
    code: { regExp: goRegExp },
    strict: false, // x-kubernetes-* and other OpenAPI keywords are ignored
    allErrors: true,
    verbose: true, // errors carry their schema and data, used for readable messages
    validateSchema: false, // the upstream documents are large; meta-validating them is slow
    logger: false,
  });
  // OpenAPI formats: int32 is worth checking (e.g. Istio route weights); the rest are
  // documentation here (Kubernetes itself ignores most of them in CRDs).
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => n >= -(2 ** 31) && n <= 2 ** 31 - 1 });
  for (const format of loaded.formats) if (format !== 'int32') ajv.addFormat(format, true);
  ajv.addSchema({ $id: K8S_DOC_ID, components: { schemas: loaded.k8sComponents } });
  return ajv;
}

// ---------------------------------------------------------------------------------------------
// Error messages

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isJunctor = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf';

/** The fields a oneOf/anyOf branch requires, e.g. Istio's `{required: [exact]}`. */
function requiredKeys(branch: unknown): string[] {
  return isSchema(branch) && Array.isArray(branch.required) ? (branch.required as string[]) : [];
}

/**
 * How a failed oneOf/anyOf is reported. With allErrors, ajv also reports why every branch
 * failed, which mostly restates the branches. Upstream uses two shapes:
 * - alternatives of types (IntOrString, Quantity): summarised as `must be integer or string`;
 * - alternatives that each require one more field on top of shared ones, such as Flagger's
 *   analysis (`interval` + `threshold` + one of `iterations`, `stepWeight`, `stepWeights`) and
 *   Istio's mutually exclusive fields, where an extra branch `{not: {anyOf: [{required: [a]}, ...]}}`
 *   also allows none of them (meaning: at most one of a, b, ...). When the wrong fields are set
 *   this gives a summary; when the right one is set but its branch fails for another reason
 *   (a nested mistake), only that branch's errors are worth showing (`focus`).
 * Anything else is reported as ajv has it (`undefined`).
 */
type JunctorReport = { summary: string } | { focus: number } | undefined;

function junctorReport(e: ErrorObject): JunctorReport {
  const branches = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
  const types = branches.map((b) => (isSchema(b) && Object.keys(b).length === 1 ? b.type : undefined));
  if (types.length > 0 && types.every((t) => typeof t === 'string')) {
    return { summary: `must be ${types.join(' or ')} (got ${show(e.data)})` };
  }
  const data = e.data;
  const selecting = branches.map((branch, index) => ({ index, keys: requiredKeys(branch) })).filter((b) => b.keys.length > 0);
  if (selecting.length === 0 || !isSchema(data)) return undefined;
  const shared = selecting[0]!.keys.filter((k) => selecting.every((b) => b.keys.includes(k)));
  const options = selecting.map((b) => b.keys.filter((k) => !shared.includes(k)));
  if (options.some((o) => o.length !== 1)) return undefined;
  const choices = options.map((o) => o[0]!);
  const present = choices.filter((k) => k in data);
  const noneAllowed = branches.some((b) => isSchema(b) && b.not !== undefined);
  const quantity = e.keyword === 'anyOf' ? 'at least' : noneAllowed ? 'at most' : 'exactly';
  const rule = `set ${shared.length > 0 ? `${shared.join(', ')} and ` : ''}${quantity} one of ${choices.join(', ')}`;
  if (present.length > 1 && e.keyword === 'oneOf') return { summary: `fields ${present.join(', ')} are mutually exclusive (${rule})` };
  if (present.length === 0 || shared.some((k) => !(k in data))) return { summary: `must ${rule}` };
  return present.length === 1 ? { focus: selecting[choices.indexOf(present[0]!)]!.index } : undefined;
}

/** One `pointer: message` line for an ajv error. */
function describe(e: ErrorObject, summary?: string): string {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${e.instancePath}/${escapePointer(String(e.params.additionalProperty))}: unknown field`;
    case 'required':
      return `${e.instancePath}/${escapePointer(String(e.params.missingProperty))}: required field missing`;
    case 'type':
      return `${at}: must be ${e.params.type} (got ${show(e.data)})`;
    case 'enum':
      return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map(show).join(', ')} (got ${show(e.data)})`;
    case 'oneOf':
    case 'anyOf':
      return `${at}: ${summary ?? e.message}`;
    default:
      return `${at}: ${e.message} (got ${show(e.data)})`;
  }
}

/** Turns ajv's errors into sorted, de-duplicated lines (see junctorReport for oneOf/anyOf). */
function describeAll(errors: ErrorObject[]): string[] {
  const hidden = new Set<ErrorObject>();
  const summaries = new Map<ErrorObject, string>();
  for (const e of errors.filter(isJunctor)) {
    const report = junctorReport(e);
    if (!report) continue;
    const branchPrefix = `${e.schemaPath}/`;
    const focusPrefix = 'focus' in report ? `${branchPrefix}${report.focus}/` : undefined;
    for (const other of errors) {
      if (other.schemaPath.startsWith(branchPrefix) && !(focusPrefix && other.schemaPath.startsWith(focusPrefix))) hidden.add(other);
    }
    if ('summary' in report) summaries.set(e, report.summary);
    else hidden.add(e);
  }
  const lines = errors.filter((e) => !hidden.has(e)).map((e) => describe(e, summaries.get(e)));
  return [...new Set(lines)].sort();
}

// ---------------------------------------------------------------------------------------------
// The validator

function objectLabel(obj: Record<string, unknown>): string {
  const meta = isSchema(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
  return `${typeof obj.kind === 'string' ? obj.kind : '(no kind)'}/${name}`;
}

class SchemaConformance implements Conformance {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly loaded: Loaded,
    private readonly ajv: Ajv,
  ) {}

  validate(obj: unknown): string[] {
    if (!isSchema(obj)) return [`${show(obj)}: not a Kubernetes object`];
    const label = objectLabel(obj);
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [`${label}: apiVersion and kind must both be strings`];
    }
    const validator = this.validator(apiVersion, kind);
    if (!validator) return [`${label}: ${this.noSchema(apiVersion, kind)}`];
    if (validator(obj)) return [];
    return describeAll(validator.errors ?? []).map((line) => `${label}: ${line}`);
  }

  /** Compiled on first use: compiling every kind up front would cost seconds. */
  private validator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = kindKey(apiVersion, kind);
    let fn = this.validators.get(key);
    if (fn) return fn;
    const entry = this.loaded.kinds.get(key);
    if (!entry) return undefined;
    fn = this.ajv.compile(
      entry.source === 'crd' ? entry.schema : { $ref: `${K8S_DOC_ID}#/components/schemas/${entry.component}` },
    );
    this.validators.set(key, fn);
    return fn;
  }

  private noSchema(apiVersion: string, kind: string): string {
    const known = [...this.loaded.kinds.keys()].filter((k) => k.endsWith(` ${kind}`)).map((k) => k.split(' ')[0]);
    const hint = known.length > 0 ? ` (${kind} has schemas for ${known.join(', ')})` : '';
    return `no upstream schema for ${apiVersion} ${kind}${hint}`;
  }
}

let instance: Conformance | undefined;

/** Loads (once per process) the trimmed upstream schemas that come with the repository. */
export function loadConformance(): Conformance {
  if (instance) return instance;
  const schemasDir = vendoredSchemasDir();
  const loaded: Loaded = { k8sComponents: {}, kinds: new Map(), formats: new Set() };
  loadBuiltins(schemasDir, loaded);
  loadCrds(schemasDir, loaded);
  instance = new SchemaConformance(loaded, newAjv(loaded));
  return instance;
}
