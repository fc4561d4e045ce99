// Runs the whole test suite (uvu over dist/test) and ends with one plain summary line,
// "N passed, N failed", that CI systems read.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const uvu = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));
const child = spawnSync(process.execPath, [uvu, 'dist/test', '-i', 'helpers', '-i', 'fixtures', ...process.argv.slice(2)], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
process.stdout.write(child.stdout);
const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(child.stdout)?.[1] ?? 0);
const total = count('Total');
const passed = count('Passed');
const skipped = count('Skipped');
const failed = child.status === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = child.status === 0 && total > 0 ? 0 : 1;
