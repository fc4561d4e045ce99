/**
 * Golden plans: golden/plan-<case>/{old.yaml,new.yaml} → expected.txt (the text `servec plan` prints)
 * and expected.json (its -o json). `npm run golden` rewrites them; read the diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KObject } from '../src/behaviour/index.js';
import { compile } from '../src/compiler/index.js';
import { formatPlan, planTransition } from '../src/transition/index.js';
import { expectation } from './helpers/golden.js';
import { repoRoot } from './helpers/paths.js';

const root = join(repoRoot(), 'golden');
const cases = readdirSync(root).filter((name) => name.startsWith('plan-')).sort();

const build = (file: string): KObject[] => {
  const result = compile([{ file: relative(repoRoot(), file), text: readFileSync(file, 'utf8') }]);
  assert.ok(result.ok, `${file} does not compile`);
  return result.objects as unknown as KObject[];
};

test('there are plan cases for each ordered transition', () => {
  for (const name of ['plan-promote', 'plan-to-flagger', 'plan-to-manual', 'plan-remove-with-traffic', 'plan-gateway-change']) assert.ok(cases.includes(name), name);
});

for (const name of cases) {
  test(`plan golden: ${name}`, () => {
    const dir = join(root, name);
    const plan = planTransition(build(join(dir, 'old.yaml')), build(join(dir, 'new.yaml')));
    for (const [file, output] of [
      ['expected.txt', formatPlan(plan)],
      ['expected.json', `${JSON.stringify(plan, null, 2)}\n`],
    ] as const) {
      const { expected, problem } = expectation(dir, file, output);
      if (problem) assert.unreachable(`golden/${name}: ${problem}`);
      assert.fixture(output, expected!, `golden/${name}/${file}`);
    }
  });
}

test.run();
