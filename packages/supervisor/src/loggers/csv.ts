/** History as CSV: `time,key,value,quality`, ISO times, RFC 4180 quoting. */
import type { HistorySeries } from './contract.js';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text of every point of every series, a header line first. */
export function toCsv(series: readonly HistorySeries[]): string {
  const lines = ['time,key,value,quality'];
  for (const s of series)
    for (const [t, v, q] of s.points) lines.push([new Date(t).toISOString(), cell(s.key), cell(v), q ?? ''].join(','));
  return `${lines.join('\n')}\n`;
}
