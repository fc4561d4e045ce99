// Small statistics and formatting helpers for the benchmark report.

export const median = (xs) => quantile(xs, 0.5);

/** Nearest-rank quantile (p95 of 20 samples is the 19th smallest). */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const sorted = xs.slice().sort((a, b) => a - b);
  if (q === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const ms = (x) => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`) : 'n/a');
export const us = (x) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(0)} µs`) : 'n/a');
export const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
export const count = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
export const mib = (kb) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MiB` : 'n/a');

/** A plain-text table: the first row is the header; columns after the first are right-aligned. */
export function table(rows, indent = '  ') {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => indent + r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ');
  return [line(rows[0]), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
