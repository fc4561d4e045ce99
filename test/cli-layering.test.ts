/**
 * The CLI's layering: main.ts is the entry and nothing imports it; a command never imports another
 * command; the static import graph of src/cli has no cycle. Read from the TypeScript sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './helpers/paths.js';

const cli = path.join(repoRoot(), 'src', 'cli');
const files = readdirSync(cli, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'));

/** Static imports of each file, as paths relative to src/cli (imports outside src/cli are left out). */
const graph = new Map(
  files.map((file) => {
    const source = readFileSync(path.join(cli, file), 'utf8');
    const targets = [...source.matchAll(/^(?:import|export)\s(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)]
      .map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!.replace(/\.js$/, '.ts'))))
      .filter((target) => !target.startsWith('..'));
    return [file, targets] as const;
  }),
);

test('nothing imports the entry (main.ts)', () => {
  for (const [file, targets] of graph) assert.not.ok(targets.includes('main.ts'), `${file} imports main.ts`);
});

test('commands import shared modules, never each other', () => {
  for (const [file, targets] of graph) {
    if (!file.startsWith('commands/')) continue;
    for (const target of targets) assert.not.ok(target.startsWith('commands/'), `${file} imports ${target}`);
  }
});

test('no import cycle in src/cli', () => {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    assert.not.ok(state.get(file) === 'open', `import cycle: ${[...trail, file].join(' -> ')}`);
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.ok(graph.size >= 8, `read ${graph.size} files`);
});

test.run();
