/** `servec schema`: the spec's JSON Schema on stdout, for editors (`servec schema > serving.schema.json`). */
import { schema } from '../../compiler/validate.js';
import { EXIT, UsageError, type Io } from '../io.js';
import type { Args } from '../options.js';

export function run({ positionals }: Args, io: Io): number {
  if (positionals.length > 0) throw new UsageError(`schema takes no arguments (got "${positionals[0]}"); redirect its output: servec schema > serving.schema.json`);
  io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
  return EXIT.ok;
}
