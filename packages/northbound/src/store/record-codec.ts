/**
 * The buffer's record format: one JSON line per value, `[key, value, quality, ts]\n`. Pure; a line
 * that does not parse (a torn write at a crash) is skipped by the reader and counted.
 */
import type { Sample } from '../plain/payload.js';
import type { Quality } from '../quality.js';

const QUALITIES: ReadonlySet<string> = new Set(['good', 'stale', 'bad', 'uncertain']);

/** One record as a line of bytes (with its newline). */
export function encodeRecord(sample: Sample): string {
  return `${JSON.stringify([sample.key, sample.value ?? null, sample.quality, sample.ts])}\n`;
}

/** A line (without its newline) back to a sample, or undefined when it is not a record. */
export function decodeRecord(line: string): Sample | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [key, value, quality, ts] = parsed as [unknown, unknown, unknown, unknown];
  if (typeof key !== 'string' || typeof quality !== 'string' || !QUALITIES.has(quality) || typeof ts !== 'number')
    return undefined;
  return { key, value, quality: quality as Quality, ts };
}
