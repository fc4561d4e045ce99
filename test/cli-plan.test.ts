/** `servec plan` through the real bin/: a committed --out-dir as OLD, standard input, -o json and the exit codes. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { servec } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';

const file = (path: string) => readFileSync(join(repoRoot(), path), 'utf8');

const promote = file('golden/plan-promote/expected.txt');

test('plan OLD NEW prints the golden plan and exits 0; --exit-code exits 1 on changes, as servec diff', () => {
  const run = servec(['plan', 'golden/plan-promote/old.yaml', 'golden/plan-promote/new.yaml']);
  assert.is(run.stdout, promote);
  assert.is(run.status, 0);
  assert.is(servec(['plan', 'golden/plan-promote/old.yaml', 'golden/plan-promote/new.yaml', '--exit-code']).status, 1);
  assert.is(servec(['plan', 'golden/plan-config-change/old.yaml', 'golden/plan-config-change/new.yaml', '--exit-code']).status, 1);
  const same = servec(['plan', 'golden/plan-promote/new.yaml', 'golden/plan-promote/new.yaml', '--exit-code']);
  assert.is(same.status, 0);
  assert.match(same.stdout, /^No changes/);
});

test('plan reads a committed build --out-dir as OLD (positional or --out-dir) and NEW from standard input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servec-plan-'));
  try {
    assert.is(servec(['build', 'golden/plan-promote/old.yaml', '--out-dir', dir]).status, 0);
    const input = file('golden/plan-promote/new.yaml');
    assert.is(servec(['plan', dir, '-'], { input }).stdout, promote);
    assert.is(servec(['plan', '--out-dir', dir, 'golden/plan-promote/new.yaml']).stdout, promote);
    const json = JSON.parse(servec(['plan', dir, 'golden/plan-promote/new.yaml', '-o', 'json']).stdout);
    assert.equal(json, JSON.parse(file('golden/plan-promote/expected.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan: a file of the --out-dir broken since the build is named with its line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servec-plan-'));
  try {
    assert.is(servec(['build', 'golden/plan-promote/old.yaml', '--out-dir', dir]).status, 0);
    const kustomization = join(dir, 'kustomization.yaml');
    writeFileSync(kustomization, `${readFileSync(kustomization, 'utf8')}resources: [unclosed\n`);
    const run = servec(['plan', dir, 'golden/plan-promote/new.yaml']);
    assert.is(run.status, 2);
    assert.is(run.stdout, '');
    assert.match(run.stderr, new RegExp(`${kustomization.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not YAML servec wrote \\([a-z]`));
    assert.not.match(run.stderr, /at line \d+, column/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan: usage mistakes exit 2, spec errors exit 1 with nothing on stdout', () => {
  assert.is(servec(['plan', 'golden/plan-promote/old.yaml']).status, 2);
  assert.is(servec(['plan', 'a', 'b', '-o', 'yaml']).status, 2);
  const broken = servec(['plan', 'golden/plan-promote/old.yaml', 'golden/error-SV105-label-key/input.yaml']);
  assert.is(broken.status, 1);
  assert.is(broken.stdout, '');
  assert.is(servec(['plan', 'golden/plan-promote/old.yaml', 'golden/error-SV105-label-key/input.yaml', '--exit-code']).status, 10);
});

test.run();
