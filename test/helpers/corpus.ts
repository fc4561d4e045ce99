/** Every example and every golden case that compiles to objects: the corpus behaviour is checked on. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { specFiles } from '../../src/cli/inputs.js';
import { compile } from '../../src/compiler/index.js';
import type { KObject } from '../../src/behaviour/index.js';
import { goldenCases } from './golden.js';
import { repoRoot } from './paths.js';

export interface BuiltCase {
  name: string;
  objects: KObject[];
  /** The texts of the case's input files. */
  texts: string[];
}

export function builtCases(): BuiltCase[] {
  const root = repoRoot();
  return [
    ...specFiles([join(root, 'examples')]).map((file) => {
      const text = readFileSync(file, 'utf8');
      return { name: relative(root, file), objects: compile([{ file: relative(root, file), text }]).objects as KObject[], texts: [text] };
    }),
    ...goldenCases()
      .map((c) => ({ c, result: compile(c.inputs) }))
      .filter(({ result }) => result.ok && result.objects.length > 0)
      .map(({ c, result }) => ({
        name: `golden/${c.name}`,
        objects: result.objects as KObject[],
        texts: c.inputs.map((i) => Buffer.from(i.bytes!).toString('utf8')),
      })),
  ];
}
