/** A place in the buffer: a segment number and a byte offset in it. Pure helpers. */

/** A byte offset in a segment file. */
export interface Position {
  seg: number;
  off: number;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function comparePositions(a: Position, b: Position): number {
  return a.seg === b.seg ? a.off - b.off : a.seg - b.seg;
}

/** A segment's file name: its number, zero-padded, so names sort like numbers. */
export function segmentName(seg: number): string {
  return `${String(seg).padStart(12, '0')}.seg`;
}

/** The number of a segment file, or undefined for other files. */
export function segmentNumber(file: string): number | undefined {
  const match = /^(\d{12})\.seg$/.exec(file);
  return match ? Number(match[1]) : undefined;
}
