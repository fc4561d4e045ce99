import type { Diagnostic } from './diagnostic.js';
import { SourceFile } from './source.js';

export type Format = 'pretty' | 'short' | 'json';

export interface RenderOptions {
  format: Format;
  color: boolean;
  /** Source texts by file name, for code frames. */
  sources: ReadonlyMap<string, string>;
}

const ANSI = { red: '31', yellow: '33', blue: '34', bold: '1', dim: '2' } as const;

/** Renders diagnostics for people (pretty, with code frames), for tools (short lines) or as JSON. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions): string {
  if (options.format === 'json') return `${JSON.stringify({ diagnostics }, null, 2)}\n`;
  if (options.format === 'short') return diagnostics.map((d) => `${location(d)}: ${d.severity}[${d.code}]: ${safe(d.message)}\n`).join('');
  const paint = (style: keyof typeof ANSI, text: string) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const files = new Map<string, SourceFile>();
  const out: string[] = [];
  for (const d of diagnostics) {
    const tone = d.severity === 'error' ? 'red' : 'yellow';
    out.push(`${paint(tone, `${d.severity}[${d.code}]`)}${paint('bold', `: ${safe(d.message)}`)}\n`);
    out.push(`  ${paint('blue', '-->')} ${location(d)}${d.path ? paint('dim', ` (${d.path})`) : ''}\n`);
    const text = options.sources.get(d.file);
    if (d.start && text !== undefined) {
      let source = files.get(d.file);
      if (!source) files.set(d.file, (source = new SourceFile(d.file, text)));
      out.push(frame(source, d, paint, tone));
    }
    if (d.hint) out.push(`   ${paint('blue', '=')} hint: ${safe(d.hint)}\n`);
    out.push('\n');
  }
  out.push(summary(diagnostics));
  return out.join('');
}

function location(d: Diagnostic): string {
  return safe(d.start ? `${d.file}:${d.start.line}:${d.start.col}` : d.file);
}

/** Messages quote the user's text: escape what a terminal would act on or what cannot be seen. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
function safe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`);
}

function frame(source: SourceFile, d: Diagnostic, paint: (style: keyof typeof ANSI, text: string) => string, tone: 'red' | 'yellow'): string {
  const line = d.start!.line;
  const first = Math.max(1, line - 1);
  const width = String(line).length;
  const gutter = (n?: number) => paint('blue', `${n === undefined ? ' '.repeat(width) : String(n).padStart(width)} |`);
  const lines: string[] = [`${gutter()}\n`];
  for (let n = first; n <= line; n++) lines.push(`${gutter(n)} ${visible(source.lineText(n))}\n`);
  const text = source.lineText(line);
  const startCol = d.start!.col;
  const endCol = d.end && d.end.line === line ? Math.max(d.end.col, startCol + 1) : text.length + 1;
  const indent = Math.min(visible(text.slice(0, startCol - 1)).length, 201);
  const marker = ' '.repeat(indent) + '^'.repeat(Math.max(1, Math.min(endCol - startCol, 201 - indent)));
  lines.push(`${gutter()} ${paint(tone, marker)}\n`);
  return lines.join('');
}

/** Shows tabs and control characters so that the caret lines up and the terminal is not disturbed. */
function visible(text: string): string {
  const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return clipped.replace(/\t/g, '→').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '�');
}

function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  if (diagnostics.length === 0) return '';
  const parts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean).join(', ');
  return `${parts} in ${plural(files, 'file')}${errors ? '; nothing was written' : ''}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
