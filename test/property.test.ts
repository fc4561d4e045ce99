import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { compile } from '../src/compiler/index.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { repoRoot } from './helpers/paths.js';

/** Every diagnostic points inside the file it names. */
function assertInside(diagnostics: Diagnostic[], text: string) {
  const lines = text.split('\n');
  for (const d of diagnostics) {
    assert.ok(d.code && d.message && d.file === 'spec.yaml', JSON.stringify(d));
    if (!d.start) continue;
    assert.ok(d.start.line >= 1 && d.start.line <= lines.length, `line ${d.start.line} outside 1..${lines.length}`);
    assert.ok(d.start.col >= 1 && d.start.col <= lines[d.start.line - 1]!.length + 1, `col ${d.start.col} outside line ${d.start.line}`);
    assert.ok(d.end && d.end.offset >= d.start.offset && d.end.offset <= text.length);
  }
}

function assertTotal(text: string) {
  const result = compile([{ file: 'spec.yaml', text }]);
  if (result.ok) assert.ok(result.objects.length > 0);
  else {
    assert.ok(result.diagnostics.some((d) => d.severity === 'error'));
    assert.is(result.objects.length, 0);
  }
  assertInside(result.diagnostics, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

test('random text never throws and every diagnostic lies inside the file', () => {
  const yamlish = fc.stringMatching(/^[ a-z:\-\[\]{}#&*!|>'"%@,\n\t0-9.]{0,200}$/);
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish), (text) => assertTotal(text)), { numRuns: 400 });
});

const base = parse(readFileSync(join(repoRoot(), 'examples/resnet/2-canary.yaml'), 'utf8'));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths to every node of a JSON value. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const allPaths = paths(base).filter((p) => p.length > 0);
const scalars: Json[] = [null, true, false, 0, -1, 1.5, 70, 100, 1e21, '', 'v1', 'v3', 'yes', 'on', '1.10', 's3://', 'AKIAIOSFODNN7EXAMPLE', 'x'.repeat(300), [], {}, ['a'], { a: 1 }];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.constantFrom(...allPaths) }),
  fc.record({ op: fc.constant('set' as const), at: fc.constantFrom(...allPaths), value: fc.constantFrom(...scalars) }),
  fc.record({ op: fc.constant('add' as const), at: fc.constantFrom(...allPaths), key: fc.constantFrom('imgae', 'replica', '__proto__', 'constructor', 'x-extra', 'weight'), value: fc.constantFrom(...scalars) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.constantFrom(...allPaths), other: fc.constantFrom(...allPaths) }),
);

function get(root: any, path: Array<string | number>) {
  return path.reduce((node, key) => node?.[key], root);
}

function apply(root: any, m: any): any {
  const copy = structuredClone(root);
  const parent = get(copy, m.at.slice(0, -1));
  const last = m.at[m.at.length - 1];
  if (parent === null || typeof parent !== 'object') return copy;
  if (m.op === 'delete') Array.isArray(parent) ? parent.splice(last, 1) : delete parent[last];
  if (m.op === 'set') parent[last] = m.value;
  if (m.op === 'add') {
    const target = get(copy, m.at);
    if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  if (m.op === 'swap') {
    const other = get(root, m.other);
    parent[last] = structuredClone(other ?? null);
  }
  return copy;
}

test('mutated valid specs compile to output or to diagnostics inside the file, never a throw', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      const spec = mutations.reduce(apply, base);
      assertTotal(stringify(spec));
    }),
    { numRuns: 400 },
  );
});

test('mutations that keep a spec valid still give the same bytes twice', () => {
  fc.assert(
    fc.property(fc.constantFrom(...[10, 20, 30, 50, 70, 90]), (w) => {
      const spec = structuredClone(base);
      spec.spec.traffic = { v1: w, v2: 100 - w };
      const text = stringify(spec);
      const a = compile([{ file: 'spec.yaml', text }]);
      const b = compile([{ file: 'spec.yaml', text }]);
      assert.ok(a.ok);
      assert.equal(JSON.stringify(a.objects), JSON.stringify(b.objects));
    }),
    { numRuns: 20 },
  );
});

test.run();
