/** `servec build`: manifests to stdout, or one file per object into --out-dir (--check: compare only). */
import { EXIT, UsageError, type Io } from '../io.js';
import { compileInputs } from '../inputs.js';
import { outputOptions, type Args } from '../options.js';
import { report, writeManifests } from '../output.js';

export async function run({ positionals, values }: Args, io: Io): Promise<number> {
  const options = outputOptions(values);
  const outDir = values['out-dir'];
  if (values.check && !outDir) throw new UsageError('--check needs --out-dir');
  // --out-dir writes the YAML files `kubectl apply -k` reads; never quietly ignore a JSON request.
  if (outDir && values.output !== undefined) throw new UsageError('-o/--output is for stdout; --out-dir always writes YAML files');
  // Printing YAML needs no objects, only their documents: compile keeps those instead (see CompileOptions.as).
  const result = compileInputs(positionals, values, outDir || options.output === 'json' ? 'objects' : 'yaml');
  report(result, options, io);
  if (!result.ok) return EXIT.specError;
  if (outDir) {
    const { checkOutDir, writeOutDir } = await import('../outDir.js');
    if (values.check) return checkOutDir(outDir, result.objects, io);
    const { written, removed } = writeOutDir(outDir, result.objects);
    io.stderr(`${outDir}: ${result.objects.length} objects, ${written} file(s) written, ${removed} removed\n`);
    return EXIT.ok;
  }
  writeManifests(result, options.output, io);
  return EXIT.ok;
}
