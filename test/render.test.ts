/** The pretty renderer's layout: gutter width, the hint under the gutter, secondary labels. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../src/diagnostics/render.js';

const at = (line: number, col: number) => ({ line, col, offset: 0 });
const text = Array.from({ length: 120 }, (_, i) => `line${i + 1}: value`).join('\n');
const render = (d: Diagnostic, sources = new Map([['f.yaml', text]])) => renderDiagnostics([d], { format: 'pretty', color: false, sources });
const base: Diagnostic = { code: 'SV201', severity: 'error', message: 'm', file: 'f.yaml', hint: 'h' };

for (const [line, width] of [[5, 1], [50, 2], [105, 3]] as const) {
  test(`the hint's "=" stands under the gutter's "|" for ${width}-digit line numbers`, () => {
    const lines = render({ ...base, start: at(line, 1), end: at(line, 5) }).split('\n');
    const bar = lines.find((l) => /^\s+\|$/.test(l))!;
    const hint = lines.find((l) => l.includes('= hint'))!;
    assert.is(hint.indexOf('='), bar.indexOf('|'));
    assert.is(bar.indexOf('|'), width + 1);
  });
}

test('labels in the same file underline their lines with "-" and their message, "..." marks a gap', () => {
  const out = render({ ...base, start: at(100, 1), end: at(100, 6), labels: [{ file: 'f.yaml', start: at(9, 8), end: at(9, 13), message: 'first here' }] });
  assert.match(out, /  9 \| line9: value\n    \|        ----- first here\n\.\.\.\n 99 \| line99: value\n100 \| line100: value\n    \| \^{5}\n/);
});

test('a label in another file gets its own frame after ":::"', () => {
  const sources = new Map([['f.yaml', text], ['g.yaml', 'a: 1\nname: x\n']]);
  const out = render({ ...base, start: at(2, 1), end: at(2, 3), labels: [{ file: 'g.yaml', start: at(2, 7), end: at(2, 8), message: 'also here' }] }, sources);
  assert.match(out, /  ::: g\.yaml:2:7\n  \|\n2 \| name: x\n  \|       - also here\n/);
});

test.run();
