// Generates, from schema/serving.schema.json, the TypeScript types of the spec and the ahead-of-time
// compiled validator. Used by `npm run generate` (writes) and by the drift test (compares).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const schemaPath = 'schema/serving.schema.json';
export const typesPath = 'src/compiler/spec.gen.ts';
export const validatorPath = 'src/compiler/validate.gen.ts';

const banner = (what) =>
  `/* Generated from ${schemaPath} by \`npm run generate\`: ${what}. Do not edit; a test fails when it drifts. */\n`;

export function loadSchema() {
  return JSON.parse(readFileSync(new URL(`../${schemaPath}`, import.meta.url), 'utf8'));
}

export async function generate() {
  const schema = loadSchema();
  const types = await compile(schema, 'ModelService', {
    bannerComment: banner('the spec types').trimEnd(),
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: false,
    ignoreMinAndMaxItems: true,
    format: true,
    style: { singleQuote: true, printWidth: 110 },
  });
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    code: { source: true, esm: true, optimize: true, lines: false },
  });
  const validate = ajv.compile(schema);
  const code = schemaByReference(esmRuntimeImports(standaloneCode(ajv, validate)), schema);
  const validator = `${banner('the ajv validator, compiled ahead of time')}// @ts-nocheck\n${code}\n`;
  return { [typesPath]: types, [validatorPath]: validator };
}

/**
 * ajv's standalone code declares the schema and each definition it refers to as object literals
 * (`const schema11 = {...}`), for error parameters and property lookups: ~47 KB, a second copy of
 * schema/serving.schema.json in every process, built at start-up. Each becomes a reference into the
 * schema the module imports, the object validate.ts and normalize.ts read too. Every literal must equal
 * the schema or one of its definitions; anything else is a generator change to look at, not to paper over.
 */
function schemaByReference(code, schema) {
  const canonical = (value) => JSON.stringify(value);
  const targets = new Map([[canonical(schema), 'schema']]);
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) targets.set(canonical(definition), `schema.definitions[${JSON.stringify(name)}]`);
  const replaced = code.replace(/const (schema\d+) = (\{.*?\});(?=const |function |export |$)/gm, (whole, name, literal) => {
    const target = targets.get(canonical(JSON.parse(literal)));
    if (!target) throw new Error(`${validatorPath}: ${name} is neither the schema nor one of its definitions`);
    return `const ${name} = ${target};`;
  });
  if (/const schema\d+ = \{/.test(replaced)) throw new Error(`${validatorPath}: a schema literal was left in the validator`);
  return `import schema from "../../${schemaPath}" with { type: "json" };\n${replaced}`;
}

// ajv's standalone output still calls require() for its runtime helpers even in ESM mode; turn
// those calls into imports so the module loads under plain ESM.
function esmRuntimeImports(code) {
  const modules = [];
  const body = code.replace(/require\("([^"]+)"\)/g, (_, name) => {
    let index = modules.indexOf(name);
    if (index === -1) index = modules.push(name) - 1;
    return `runtime${index}`;
  });
  const imports = modules.map((name, i) => `import runtime${i} from "${name}.js";`).join('\n');
  return `${imports}\n${body.replace(/^"use strict";/, '')}`;
}
