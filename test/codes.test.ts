import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CODES, type Code } from '../src/diagnostics/diagnostic.js';
import { goldenCases, runCase, UPDATE } from './helpers/golden.js';
import { repoRoot } from './helpers/paths.js';

/** Codes that no spec file can produce in a golden case: tested in cli.test.ts instead. */
const NOT_IN_GOLDEN: Partial<Record<Code, string>> = {
  SV006: 'needs a document over 1 MiB (see the hostile-input test in test/cli.test.ts)',
  SV900: 'no spec can reach it: a stage that throws (a bug) is reported as SV900; see test/compile.test.ts',
};

/**
 * One golden case per code, preferring a case named after it. The text is what the case renders
 * now (golden.test.ts checks that it is also what its expected.txt holds), so the page never lags
 * a run behind the expectations, whichever test file runs first.
 */
function examples(): Map<Code, { name: string; text: string }> {
  const found = new Map<Code, { name: string; text: string }>();
  for (const c of goldenCases()) {
    const text = runCase(c).diagnostics;
    if (text === undefined) continue;
    for (const code of Object.keys(CODES) as Code[]) {
      const named = c.name.includes(code);
      if (text.includes(`[${code}]`) && (!found.has(code) || named)) found.set(code, { name: c.name, text });
    }
  }
  return found;
}

function catalogue(): string {
  const byCode = examples();
  const out = [
    '# Diagnostic codes',
    '',
    'Every problem servec reports has a stable code. Errors stop the build (exit status 1); warnings',
    'do not, unless `--strict` is given. This page is generated from the golden cases',
    '(`npm run golden` rewrites it); each example is the exact output of `servec build` on that case.',
    '',
    '| code | severity | meaning |',
    '| --- | --- | --- |',
    ...(Object.entries(CODES) as Array<[Code, { severity: string; title: string }]>).map(([code, info]) => `| [${code}](#${code.toLowerCase()}) | ${info.severity} | ${info.title} |`),
    '',
  ];
  for (const [code, info] of Object.entries(CODES) as Array<[Code, { severity: string; title: string }]>) {
    out.push(`## ${code}`, '', `${info.severity}: ${info.title}.`, '');
    const example = byCode.get(code);
    if (example) {
      const input = goldenCases().find((c) => c.name === example.name)!;
      out.push(`Example (\`golden/${example.name}\`):`, '', '```yaml', ...input.inputs.map((i) => Buffer.from(i.bytes!).toString('utf8').replace(/[\u0000-\u0008\u000e-\u001f]/g, '�').trimEnd()), '```', '', '```text', example.text.trimEnd(), '```', '');
    } else {
      out.push(`Not shown by a golden case: ${NOT_IN_GOLDEN[code] ?? 'missing'}.`, '');
    }
  }
  return `${out.join('\n')}`;
}

test('every diagnostic code has a golden case', () => {
  const byCode = examples();
  const missing = (Object.keys(CODES) as Code[]).filter((code) => !byCode.has(code) && !NOT_IN_GOLDEN[code]);
  assert.equal(missing, []);
});

test('docs/diagnostics.md lists every code with its example (npm run golden regenerates it)', () => {
  const path = join(repoRoot(), 'docs/diagnostics.md');
  const text = catalogue();
  if (UPDATE) writeFileSync(path, text);
  assert.ok(existsSync(path), 'docs/diagnostics.md is missing: run npm run golden');
  assert.fixture(readFileSync(path, 'utf8'), text);
});

test.run();
