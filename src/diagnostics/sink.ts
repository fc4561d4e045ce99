import { severityOf, type Code, type Diagnostic, type Severity } from './diagnostic.js';
import type { SourceFile } from './source.js';

export interface Extra {
  hint?: string | undefined;
  path?: string | undefined;
}

/**
 * Collects diagnostics, turning source offsets into 1-based line and column positions, and keeps
 * the source of every file that has any (for code frames). With `strict`, warnings are errors.
 */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  readonly sources = new Map<string, string>();
  private errorCount = 0;

  constructor(private readonly strict = false) {}

  at(source: SourceFile, code: Code, message: string, range: { start: number; end: number }, extra: Extra = {}): void {
    const severity: Severity = this.strict ? 'error' : severityOf(code);
    this.sources.set(source.file, source.text);
    const diagnostic: Diagnostic = {
      code,
      severity,
      message,
      file: source.file,
      start: source.position(range.start),
      end: source.position(Math.max(range.start, range.end)),
    };
    if (extra.path) diagnostic.path = extra.path;
    if (extra.hint) diagnostic.hint = extra.hint;
    if (diagnostic.severity === 'error') this.errorCount++;
    this.items.push(diagnostic);
  }

  get errors(): number {
    return this.errorCount;
  }
}
