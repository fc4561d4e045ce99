import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validate } from '../src/compiler/validate.gen.js';
import { schema } from '../src/compiler/validate.js';
import { repoRoot } from './helpers/paths.js';

test('generated types and validator match the schema (run `npm run generate` after editing it)', async () => {
  const lib = await import(pathToFileURL(join(repoRoot(), 'scripts/generate-lib.mjs')).href);
  const generated: Record<string, string> = await lib.generate();
  for (const [path, text] of Object.entries(generated)) {
    assert.ok(readFileSync(join(repoRoot(), path), 'utf8') === text, `${path} is stale: run npm run generate`);
  }
});

test('every property is described, every object is closed', () => {
  const problems: string[] = [];
  const visit = (node: any, path: string): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'object' && node.properties && node.additionalProperties !== false) problems.push(`${path} allows unknown fields`);
    for (const [name, child] of Object.entries<any>(node.properties ?? {})) {
      if (!child.description && !child.$ref) problems.push(`${path}.${name} has no description`);
      visit(child, `${path}.${name}`);
    }
    for (const [name, child] of Object.entries<any>(node.definitions ?? {})) {
      if (!child.description) problems.push(`definitions.${name} has no description`);
      visit(child, `definitions.${name}`);
    }
    if (node.items) visit(node.items, `${path}[]`);
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${path}.*`);
  };
  visit(schema, '');
  assert.equal(problems, []);
});

test('the schema\'s examples are valid specs', () => {
  assert.ok(schema.examples.length >= 2);
  for (const example of schema.examples) assert.ok((validate as (d: unknown) => boolean)(example), JSON.stringify(example));
});

test('servec schema prints the schema that the repository holds', async () => {
  const onDisk = JSON.parse(readFileSync(join(repoRoot(), 'schema/serving.schema.json'), 'utf8'));
  assert.equal(schema, onDisk);
});

test.run();
