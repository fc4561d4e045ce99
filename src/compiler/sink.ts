import { severityOf, type Code, type Diagnostic, type Severity } from './diagnostics.js';
import type { SourceFile } from './source.js';

export interface Extra {
  hint?: string | undefined;
  path?: string | undefined;
  severity?: Severity;
}

/** Collects diagnostics, turning source offsets into 1-based line and column positions. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private errorCount = 0;

  at(source: SourceFile, code: Code, message: string, range: { start: number; end: number }, extra: Extra = {}): void {
    const severity = extra.severity ?? severityOf(code);
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
    this.push(diagnostic);
  }

  push(diagnostic: Diagnostic): void {
    if (diagnostic.severity === 'error') this.errorCount++;
    this.items.push(diagnostic);
  }

  get errors(): number {
    return this.errorCount;
  }
}
