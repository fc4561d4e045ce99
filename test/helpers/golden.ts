import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compile } from '../../src/compiler/index.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { toYaml } from '../../src/compiler/serialize.js';
import type { SourceInput } from '../../src/diagnostics/source.js';
import { repoRoot } from './paths.js';

export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export interface GoldenCase {
  name: string;
  dir: string;
  inputs: SourceInput[];
}

/** Golden cases: golden/<case>/input.yaml, or golden/<case>/input/ holding several files. */
export function goldenCases(): GoldenCase[] {
  const root = join(repoRoot(), 'golden');
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory() && !name.startsWith('plan-')) // plan-*: test/plan-golden.test.ts
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const single = join(dir, 'input.yaml');
      const many = join(dir, 'input');
      const files = existsSync(single)
        ? [single]
        : existsSync(many)
          ? readdirSync(many).sort().map((f) => join(many, f))
          : [];
      // Files are named relative to the repository, as a user running servec from its root sees them.
      const inputs = files.map((file) => ({ file: relative(repoRoot(), file), bytes: readFileSync(file) }));
      return { name, dir, inputs };
    });
}

/** What a case produces: the manifests when it compiles, the rendered diagnostics when there are any. */
export function runCase(c: GoldenCase): { yaml?: string; diagnostics?: string } {
  const result = compile(c.inputs);
  return {
    ...(result.ok && { yaml: toYaml(result.objects) }),
    ...(result.diagnostics.length > 0 && {
      diagnostics: renderDiagnostics(result.diagnostics, { format: 'pretty', color: false, sources: result.sources }),
    }),
  };
}

/**
 * Compares (or, with UPDATE_GOLDEN=1, rewrites) one expectation file. An expectation that exists
 * without output, or output without its expectation, is a failure.
 */
export function expectation(dir: string, file: string, actual: string | undefined): { expected?: string; problem?: string } {
  const path = join(dir, file);
  const present = existsSync(path);
  if (UPDATE) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return actual === undefined ? {} : { expected: actual };
  }
  if (actual === undefined && present) return { problem: `${file} exists but the case produces no such output` };
  if (actual !== undefined && !present) return { problem: `${file} is missing (run npm run golden to create it, then read the diff)` };
  return present ? { expected: readFileSync(path, 'utf8') } : {};
}
