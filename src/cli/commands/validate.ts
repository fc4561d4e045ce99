/** `servec validate`: compile, print diagnostics and a one-line verdict, write nothing. */
import { EXIT, type Io } from '../io.js';
import { compileInputs } from '../inputs.js';
import { outputOptions, type Args } from '../options.js';
import { report } from '../output.js';

export function run({ positionals, values }: Args, io: Io): number {
  const options = outputOptions(values);
  const result = compileInputs(positionals, values);
  report(result, options, io);
  if (!result.ok) return EXIT.specError;
  const { specs, objects } = result;
  if (options.format === 'json') {
    // Warnings, if any, are on stderr as JSON already; stdout carries the verdict.
    const warnings = result.diagnostics.length;
    io.stdout(`${JSON.stringify({ valid: true, specs, objects: objects.length, warnings }, null, 2)}\n`);
  } else {
    io.stdout(`${specs} spec${specs === 1 ? '' : 's'} valid (${objects.length} objects)\n`);
  }
  return EXIT.ok;
}
