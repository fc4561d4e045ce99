/** The driver: a bug in one spec's stages is a diagnostic (SV900), not a crash that hides the rest. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECKS } from '../src/checks/index.js';
import type { Check } from '../src/checks/context.js';
import { compile } from '../src/compiler/index.js';
import { repoRoot } from './helpers/paths.js';

const minimal = readFileSync(path.join(repoRoot(), 'golden/minimal/input.yaml'), 'utf8');
const broken = readFileSync(path.join(repoRoot(), 'golden/error-SV201-weights-sum/input.yaml'), 'utf8');

test('an exception inside a stage becomes SV900 at the spec, and the other specs are still checked', () => {
  const checks = CHECKS as Check[];
  const failing: Check = ({ plan }) => {
    if (plan.name === 'resnet' && plan.versions.length === 1) throw new Error('boom');
  };
  checks.push(failing);
  try {
    const result = compile([
      { file: 'a.yaml', text: minimal },
      { file: 'b.yaml', text: broken },
    ]);
    assert.is(result.ok, false);
    assert.equal(result.objects, []);
    assert.equal(result.diagnostics.map((d) => [d.file, d.code, d.path]), [
      ['a.yaml', 'SV900', 'metadata.name'],
      ['b.yaml', 'SV201', 'spec.traffic'],
    ]);
    assert.match(result.diagnostics[0]!.message, /\(boom\); this is a bug in servec/);
  } finally {
    checks.splice(checks.indexOf(failing), 1);
  }
});

test.run();
