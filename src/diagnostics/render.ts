import type { Diagnostic } from './diagnostic.js';
import { SourceFile, type Position } from './source.js';

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
  const paint: Paint = (style, text) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const files = new Map<string, SourceFile>();
  const sourceOf = (file: string): SourceFile | undefined => {
    const text = options.sources.get(file);
    if (text === undefined) return undefined;
    let source = files.get(file);
    if (!source) files.set(file, (source = new SourceFile(file, text)));
    return source;
  };
  const out: string[] = [];
  for (const d of diagnostics) {
    const tone = d.severity === 'error' ? 'red' : 'yellow';
    out.push(`${paint(tone, `${d.severity}[${d.code}]`)}${paint('bold', `: ${safe(d.message)}`)}\n`);
    const frames = d.start ? framesOf(d, d.start, sourceOf) : [];
    // Line numbers take the width of the widest one shown; the hint's `=` stands under the gutter's `|`.
    const width = frames.length > 0 ? Math.max(...frames.flatMap((f) => f.lines.map((n) => String(n).length))) : 2;
    out.push(`  ${paint('blue', '-->')} ${location(d)}${d.path ? paint('dim', ` (${d.path})`) : ''}\n`);
    frames.forEach((f, i) => {
      if (i > 0) out.push(`  ${paint('blue', ':::')} ${safe(`${f.source.file}:${f.marks[0]!.line}:${f.marks[0]!.startCol}`)}\n`);
      out.push(frame(f, width, paint, tone));
    });
    if (d.hint) out.push(`${' '.repeat(width + 1)}${paint('blue', '=')} hint: ${safe(d.hint)}\n`);
    out.push('\n');
  }
  out.push(summary(diagnostics));
  return out.join('');
}

type Paint = (style: keyof typeof ANSI, text: string) => string;

/** A place to underline: the primary one (^) or a secondary label (-) with its message. */
interface Mark {
  line: number;
  startCol: number;
  endCol?: number;
  endLine: number;
  primary: boolean;
  message?: string;
}

interface Frame {
  source: SourceFile;
  marks: Mark[];
  /** Line numbers shown, ascending. */
  lines: number[];
}

/** The code frames of a diagnostic: its own file first (with the line before the primary place), then one per other file. */
function framesOf(d: Diagnostic, start: Position, sourceOf: (file: string) => SourceFile | undefined): Frame[] {
  const byFile = new Map<string, Mark[]>();
  const add = (file: string, mark: Mark) => (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(mark);
  add(d.file, { line: start.line, startCol: start.col, endLine: d.end?.line ?? start.line, ...(d.end && { endCol: d.end.col }), primary: true });
  for (const label of d.labels ?? []) {
    add(label.file, { line: label.start.line, startCol: label.start.col, endLine: label.end.line, endCol: label.end.col, primary: false, message: label.message });
  }
  const frames: Frame[] = [];
  for (const [file, marks] of byFile) {
    const source = sourceOf(file);
    if (!source) continue;
    const lines = new Set(marks.map((m) => m.line));
    if (file === d.file) lines.add(Math.max(1, start.line - 1));
    frames.push({ source, marks, lines: [...lines].sort((a, b) => a - b) });
  }
  return frames;
}

function frame({ source, marks, lines }: Frame, width: number, paint: Paint, tone: 'red' | 'yellow'): string {
  const gutter = (n?: number) => paint('blue', `${n === undefined ? ' '.repeat(width) : String(n).padStart(width)} |`);
  const out: string[] = [`${gutter()}\n`];
  lines.forEach((n, i) => {
    if (i > 0 && n > lines[i - 1]! + 1) out.push(`${paint('blue', '...')}\n`);
    const text = source.lineText(n);
    out.push(`${gutter(n)} ${visible(text)}\n`);
    for (const mark of marks.filter((m) => m.line === n).sort((a, b) => Number(b.primary) - Number(a.primary) || a.startCol - b.startCol)) {
      const endCol = mark.endCol !== undefined && mark.endLine === n ? Math.max(mark.endCol, mark.startCol + 1) : text.length + 1;
      const indent = Math.min(visible(text.slice(0, mark.startCol - 1)).length, 201);
      const underline = (mark.primary ? '^' : '-').repeat(Math.max(1, Math.min(endCol - mark.startCol, 201 - indent)));
      const label = mark.message ? ` ${safe(mark.message)}` : '';
      out.push(`${gutter()} ${' '.repeat(indent)}${paint(mark.primary ? tone : 'blue', underline + label)}\n`);
    }
  });
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
