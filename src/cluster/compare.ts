/**
 * Normalising live and dry-run objects before comparing them, as kubectl diff and Flux do: both
 * sides come from the API server (the dry run of the apply, and the live object), so server-set
 * defaults appear on both; what remains to drop is bookkeeping that changes on every write.
 */
import type { KObject } from './object.js';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
const MASK = '***';

export function comparable(object: KObject | undefined): KObject | undefined {
  if (!object) return undefined;
  const { status: _status, ...rest } = object;
  const metadata = { ...object.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  return { ...rest, metadata } as KObject;
}

/**
 * Secret values never reach the output: each key shows `***` on both sides, or `*** (before)` /
 * `*** (after)` when its value changes, so the diff says which keys change and nothing else.
 */
export function maskSecrets(live: KObject | undefined, next: KObject | undefined): [KObject | undefined, KObject | undefined] {
  if ((live ?? next)?.kind !== 'Secret') return [live, next];
  const values = (o: KObject | undefined) => ({ ...o?.data, ...Object.fromEntries(Object.entries(o?.stringData ?? {}).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')])) }) as Record<string, string>;
  const before = values(live);
  const after = values(next);
  const mask = (o: KObject | undefined, own: Record<string, string>, other: Record<string, string>, label: string) => {
    if (!o) return o;
    const data = Object.fromEntries(Object.keys(own).map((k) => [k, own[k] === other[k] ? MASK : `${MASK} (${label})`]));
    const { stringData: _s, ...rest } = o;
    return { ...rest, data } as KObject;
  };
  return [mask(live, before, after, 'before'), mask(next, after, before, 'after')];
}

/** A unified diff of two texts (whole-line LCS; objects are small), with `---`/`+++` headers. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ op: ' ', line: a[i++]!, ai: i, bi: ++j });
    else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ op: '+', line: b[j++]!, ai: i, bi: j });
    else ops.push({ op: '-', line: a[i++]!, ai: i, bi: j });
  }
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  for (let k = 0; k < ops.length; ) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are within 2 * context lines of each other.
    for (let gap = 0; end < ops.length && gap <= 2 * context; end++) gap = ops[end]!.op === ' ' ? gap + 1 : 0;
    end = Math.min(ops.length, end - Math.max(0, countTrailing(ops, end) - context));
    const hunk = ops.slice(start, end);
    const aStart = hunk.find((o) => o.op !== '+')?.ai ?? ops[start]!.ai;
    const bStart = hunk.find((o) => o.op !== '-')?.bi ?? ops[start]!.bi;
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aStart}${aLen === 1 ? '' : `,${aLen}`} +${bStart}${bLen === 1 ? '' : `,${bLen}`} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}

function countTrailing(ops: { op: string }[], end: number): number {
  let n = 0;
  for (let k = end - 1; k >= 0 && ops[k]!.op === ' '; k--) n++;
  return n;
}
