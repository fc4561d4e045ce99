/**
 * `servec plan OLD NEW`: what changes between two states of a spec and the safe order of steps.
 * OLD and NEW are each a spec file or directory, `-` (standard input), or an output directory
 * written by `servec build --out-dir` (read through its kustomization.yaml). `--out-dir DIR NEW...`
 * plans from the committed DIR to the specs NEW.
 *
 * Exit status: 0 the plan was printed, 1 a spec has errors, 2 usage (a missing file, a bad option).
 * With --exit-code, as `servec diff` and `kubectl diff`: 0 no changes, 1 changes, 10 a spec has
 * errors. Whether the steps must run in order is in `-o json` (`transitions`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../../behaviour/index.js';
import { formatPlan, hasChanges, planTransition } from '../../transition/index.js';
import { EXIT, fsReason, UsageError, type Io } from '../io.js';
import { yamlClause } from '../../compiler/upstream.js';
import { compileInputs, OUTPUT_MARKER, STDIN } from '../inputs.js';
import { outputOptions, type Args, type Options } from '../options.js';
import { report } from '../output.js';

/** With --exit-code: the codes `servec diff` uses (src/cluster/errors.ts), kept here so plan never loads the cluster code. */
export const PLAN_EXIT = { changes: 1, specErrors: 10 } as const;

export function run({ positionals, values }: Args, io: Io): number {
  const options = outputOptions({ ...values, output: undefined });
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`-o/--output takes text, json, not "${output}"`);
  const outDir = values['out-dir'];
  if (outDir === undefined && positionals.length !== 2) throw new UsageError('plan needs OLD and NEW (spec files, directories, - or a build --out-dir), or --out-dir DIR NEW...');
  if (outDir !== undefined && positionals.length === 0) throw new UsageError('--out-dir DIR needs the specs to plan to');
  const read = (paths: string[]): KObject[] | undefined => {
    if (paths.length === 1 && isOutDir(paths[0]!)) return readOutDir(paths[0]!);
    const result = compileInputs(paths, values as Options);
    report(result, options, io);
    return result.ok ? (result.objects as unknown as KObject[]) : undefined;
  };
  const before = outDir !== undefined ? readOutDir(outDir) : read([positionals[0]!]);
  const after = read(outDir !== undefined ? positionals : [positionals[1]!]);
  if (!before || !after) return values['exit-code'] ? PLAN_EXIT.specErrors : EXIT.specError;
  const plan = planTransition(before, after);
  io.stdout(output === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  return values['exit-code'] && hasChanges(plan) ? PLAN_EXIT.changes : EXIT.ok;
}

function isOutDir(path: string): boolean {
  if (path === STDIN) return false;
  try {
    return statSync(path).isDirectory() && existsSync(join(path, OUTPUT_MARKER));
  } catch {
    return false;
  }
}

/** The objects of an output directory, in its kustomization's order (the build's emitted order). */
function readOutDir(dir: string): KObject[] {
  if (!isOutDir(dir)) throw new UsageError(`${dir}: not an output directory of servec build --out-dir (no ${OUTPUT_MARKER})`);
  const text = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch (error) {
      throw new UsageError(`${join(dir, file)}: ${fsReason(error)}`);
    }
  };
  const docs = (file: string) =>
    parseAllDocuments(text(file)).map((doc) => {
      const error = doc.errors[0];
      if (error) {
        // A file edited by hand since the build: say where, as for a spec.
        const at = error.linePos?.[0];
        throw new UsageError(`${join(dir, file)}${at ? `:${at.line}:${at.col}` : ''}: not YAML servec wrote (${yamlClause(error.message)})`);
      }
      return doc.toJS() as unknown;
    });
  const kustomization = docs('kustomization.yaml')[0] as { resources?: unknown } | undefined;
  const resources = kustomization?.resources;
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) throw new UsageError(`${join(dir, 'kustomization.yaml')}: no resources list`);
  return resources.flatMap((file: string) => docs(file).filter((o): o is KObject => typeof o === 'object' && o !== null && 'kind' in o));
}
