import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectation, goldenCases, runCase } from './helpers/golden.js';

const cases = goldenCases();

test('there are golden cases', () => {
  assert.ok(cases.length > 10, `only ${cases.length} golden cases`);
});

for (const c of cases) {
  test(`golden: ${c.name}`, () => {
    assert.ok(c.inputs.length > 0, `golden/${c.name} has no input.yaml or input/ directory`);
    const actual = runCase(c);
    for (const [file, output] of [
      ['expected.yaml', actual.yaml],
      ['expected.txt', actual.diagnostics],
    ] as const) {
      const { expected, problem } = expectation(c.dir, file, output);
      if (problem) assert.unreachable(`golden/${c.name}: ${problem}`);
      if (output !== undefined) assert.fixture(output, expected!, `golden/${c.name}/${file}`);
    }
  });
}

test.run();
