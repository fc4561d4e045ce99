/**
 * The trimmed upstream schemas in test/fixtures/upstream-schemas must be exactly what
 * scripts/upstream-schemas.mjs makes from the originals. The originals sit in ../shared/schemas
 * when that folder is beside the clone; without it this test says so and checks the copies only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot, sharedSchemasDir, vendoredSchemasDir } from './helpers/paths.js';

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : e.name.endsWith('.json') ? [path.join(rel, e.name).split(path.sep).join('/')] : [],
  );
}

test('the vendored copies are there and list their sources', () => {
  const files = filesUnder(vendoredSchemasDir());
  assert.ok(files.includes('k8s-openapi/1.35/apis/apps/v1.json'), files.join(', '));
  assert.ok(files.includes('crds/istio-customresourcedefinitions.gen.json'));
  const sources = readFileSync(path.join(vendoredSchemasDir(), 'SOURCES.md'), 'utf8');
  for (const file of files) assert.ok(sources.includes(path.basename(file, '.json')), `SOURCES.md does not mention ${file}`);
});

test('the vendored copies equal the trimmed originals in ../shared/schemas', async () => {
  const shared = sharedSchemasDir();
  if (!existsSync(shared)) {
    console.log(`upstream-schemas: ${shared} not present; checked the vendored copies only`);
    return;
  }
  const script = pathToFileURL(path.join(repoRoot(), 'scripts', 'upstream-schemas.mjs')).href;
  const { trim } = (await import(script)) as { trim: (dir: string) => Map<string, string> };
  const expected = trim(shared);
  assert.equal(filesUnder(vendoredSchemasDir()).sort(), [...expected.keys()].sort());
  for (const [rel, text] of expected) {
    assert.ok(readFileSync(path.join(vendoredSchemasDir(), rel), 'utf8') === text, `${rel} differs: run node scripts/upstream-schemas.mjs ../shared/schemas`);
  }
});

test.run();
