// Trimmed copies of the upstream schemas the conformance test validates against, so that `npm test`
// needs nothing beside the checkout. The originals (and where each comes from) are in a `schemas`
// folder laid out as test/fixtures/upstream-schemas/SOURCES.md describes.
//   node scripts/upstream-schemas.mjs ../shared/schemas   rewrites test/fixtures/upstream-schemas
// Trimming keeps what validation reads and drops the prose: every schema's `description` and
// `example`, the OpenAPI documents' `paths` (operations, not types), and the CRD versions that are
// not served. Whatever is kept is byte-for-byte the upstream value. The test suite runs trim() over
// the originals when they are present and checks the result equals the committed copies.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** CRD files and the CRDs kept from each (all others in a file are dropped). */
export const CRD_FILES = {
  'crds/istio-customresourcedefinitions.gen.yaml': [
    'gateways.networking.istio.io',
    'virtualservices.networking.istio.io',
    'destinationrules.networking.istio.io',
    'serviceentries.networking.istio.io',
    'sidecars.networking.istio.io',
    'peerauthentications.security.istio.io',
    'authorizationpolicies.security.istio.io',
  ],
  'crds/flagger-crd.yaml': ['canaries.flagger.app', 'metrictemplates.flagger.app', 'alertproviders.flagger.app'],
  'crds/monitoring.coreos.com_servicemonitors.yaml': ['servicemonitors.monitoring.coreos.com'],
  'crds/monitoring.coreos.com_prometheusrules.yaml': ['prometheusrules.monitoring.coreos.com'],
  'crds/gateway-api/gatewayclasses.yaml': ['gatewayclasses.gateway.networking.k8s.io'],
  'crds/gateway-api/gateways.yaml': ['gateways.gateway.networking.k8s.io'],
  'crds/gateway-api/httproutes.yaml': ['httproutes.gateway.networking.k8s.io'],
  'crds/gateway-api/grpcroutes.yaml': ['grpcroutes.gateway.networking.k8s.io'],
  'crds/gateway-api/referencegrants.yaml': ['referencegrants.gateway.networking.k8s.io'],
  'crds/gateway-api/backendtlspolicies.yaml': ['backendtlspolicies.gateway.networking.k8s.io'],
};
export const K8S_OPENAPI_DIR = 'k8s-openapi/1.35';

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_ONES = ['items', 'additionalProperties', 'not', 'additionalItems'];

/** A copy of a schema without its prose; keys under `properties` are field names, never dropped. */
function strip(schema) {
  if (!isObject(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'example' || key === 'externalDocs') continue;
    if (SCHEMA_MAPS.includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]));
    else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) out[key] = value.map(strip);
    else if (SCHEMA_ONES.includes(key)) out[key] = strip(value);
    else out[key] = value;
  }
  return out;
}

function jsonFilesUnder(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? jsonFilesUnder(dir, path.join(rel, e.name)) : e.name.endsWith('.json') ? [path.join(rel, e.name)] : []));
}

/** Relative path → contents of the trimmed copies made from the originals in `source`. Pure but for reading. */
export function trim(source) {
  const files = new Map();
  for (const rel of jsonFilesUnder(path.join(source, K8S_OPENAPI_DIR))) {
    const doc = JSON.parse(readFileSync(path.join(source, K8S_OPENAPI_DIR, rel), 'utf8'));
    const schemas = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [name, strip(s)]));
    files.set(`${K8S_OPENAPI_DIR}/${rel}`, `${JSON.stringify({ openapi: doc.openapi, components: { schemas } })}\n`);
  }
  for (const [file, names] of Object.entries(CRD_FILES)) {
    const crds = parseAllDocuments(readFileSync(path.join(source, file), 'utf8')).map((d) => d.toJS());
    const kept = names.map((name) => {
      const crd = crds.find((d) => d?.kind === 'CustomResourceDefinition' && d.metadata?.name === name);
      if (!crd) throw new Error(`${file}: no CustomResourceDefinition ${name}`);
      const versions = crd.spec.versions
        .filter((v) => v.served)
        .map((v) => ({ name: v.name, served: true, schema: { openAPIV3Schema: strip(v.schema?.openAPIV3Schema) } }));
      return { apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name }, spec: { group: crd.spec.group, names: { kind: crd.spec.names.kind }, versions } };
    });
    // JSON is YAML: the loader reads these files like the originals, and JSON parses quickly.
    files.set(file.replace(/\.yaml$/, '.json'), `${JSON.stringify(kept)}\n`);
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) throw new Error('usage: node scripts/upstream-schemas.mjs SCHEMAS_DIR');
  const target = fileURLToPath(new URL('../test/fixtures/upstream-schemas/', import.meta.url));
  for (const [rel, text] of trim(source)) {
    mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
    writeFileSync(path.join(target, rel), text);
  }
}
