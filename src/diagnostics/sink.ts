import type { SpecPath } from '../plan/index.js';
import { severityOf, type Code, type Diagnostic, type Severity } from './diagnostic.js';
import { formatPath } from './path.js';
import type { SourceFile } from './source.js';

type Range = { start: number; end: number };

export interface Extra {
  hint?: string | undefined;
  path?: SpecPath | undefined;
  /** Secondary places, in this file or another. */
  labels?: ReadonlyArray<{ source: SourceFile; range: Range; message: string }> | undefined;
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

  at(source: SourceFile, code: Code, message: string, range: Range, extra: Extra = {}): void {
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
    if (extra.path) {
      diagnostic.path = formatPath(extra.path);
      diagnostic.pathSegments = [...extra.path];
    }
    if (extra.hint) diagnostic.hint = extra.hint;
    if (extra.labels?.length) {
      diagnostic.labels = extra.labels.map(({ source: where, range: r, message: text }) => {
        this.sources.set(where.file, where.text);
        return { file: where.file, start: where.position(r.start), end: where.position(Math.max(r.start, r.end)), message: text };
      });
    }
    if (diagnostic.severity === 'error') this.errorCount++;
    this.items.push(diagnostic);
  }

  get errors(): number {
    return this.errorCount;
  }
}
