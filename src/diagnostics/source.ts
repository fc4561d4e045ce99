/** A source file as the compiler sees it: its name, its text and a line index for positions. */
export interface SourceInput {
  file: string;
  /** Text of the file; give either text or bytes. */
  text?: string;
  /** Raw bytes of the file, decoded as UTF-8 by the compiler. */
  bytes?: Uint8Array;
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  col: number;
  /** 0-based offset in the text. */
  offset: number;
}

export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  position(offset: number): Position {
    const starts = this.starts();
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - starts[lo]! + 1, offset: at };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; reason: 'binary' | 'encoding' | 'utf16' };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 bytes, refusing binary content (NUL bytes) and invalid sequences. */
export function decode(input: SourceInput): Decoded {
  if (input.text !== undefined) {
    const nul = input.text.indexOf('\u0000');
    if (nul !== -1) return { ok: false, offset: nul, reason: 'binary' };
    return { ok: true, text: input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text };
  }
  const bytes = input.bytes ?? new Uint8Array();
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { ok: false, offset: 0, reason: 'utf16' };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, offset: nul, reason: 'binary' };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, offset: firstInvalidUtf8(bytes), reason: 'encoding' };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return 0;
}
