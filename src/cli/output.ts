/** Printing results: diagnostics to stderr, manifests to stdout. */
import type { CompileResult } from '../compiler/index.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { toJsonList, toYaml, writeDocuments, writeJsonList, writeYaml } from '../compiler/serialize.js';
import type { Io } from './io.js';
import type { OutputOptions } from './options.js';

/** Prints diagnostics to stderr in the chosen format. */
export function report(result: CompileResult, options: Pick<OutputOptions, 'format' | 'color'>, io: Io): void {
  if (result.diagnostics.length === 0) return;
  // Asked only now: looking at stderr costs start-up time that clean runs need not pay.
  const color = options.color === 'always' || (options.color === 'auto' && io.stderrIsTTY && !io.env.NO_COLOR);
  io.stderr(renderDiagnostics(result.diagnostics, { format: options.format, color, sources: result.sources }));
}

export function serialize(result: CompileResult, output: 'yaml' | 'json'): string {
  return output === 'json' ? toJsonList(result.objects) : toYaml(result.objects);
}

/**
 * Characters per write, in whole documents (or items of a JSON list). A stream of 10,000 specs is ~150 MB,
 * better not held as one string; and pieces this size stay clear of the freshly mapped memory that V8 and
 * Node use for strings and buffers over 128 KiB, whose page faults made turning 500-object batches into
 * bytes cost ~110 ms of a 1,000-spec build (profiled) against ~40 ms in pieces this size.
 */
const WRITE_CHARS = 1 << 16;

/** Writes the manifests of a successful compile (never called otherwise), in pieces of whole documents. */
export function writeManifests(result: CompileResult, output: 'yaml' | 'json', io: Io): void {
  if (output === 'json') writeJsonList(result.objects, io.stdout, WRITE_CHARS);
  else if (result.documents.length > 0) writeDocuments(result.documents, io.stdout, WRITE_CHARS);
  else writeYaml(result.objects, io.stdout, WRITE_CHARS);
}
