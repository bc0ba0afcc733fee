/**
 * Duplicate suppression with bounded memory (relaying, seed 004): for each source, the highest
 * sequence number seen and a bitmap of the `size` numbers below it. A number seen before, or
 * older than the window, is a duplicate. At most `maxSources` sources are remembered (the least
 * recently heard one is forgotten first), so memory stays below `maxSources * size / 8` bytes.
 * Pure: no I/O, no timers.
 */

interface SourceWindow {
  top: number;
  bits: Uint8Array;
}

export class DedupWindow {
  private readonly sources = new Map<string, SourceWindow>();

  constructor(
    /** Sequence numbers remembered below the highest one, per source (a multiple of 8). Default 1024. */
    readonly size = 1024,
    /** Sources remembered at once. Default 256. */
    readonly maxSources = 256,
  ) {
    if (!Number.isInteger(size) || size < 8 || size % 8 !== 0)
      throw new RangeError(`DedupWindow size must be a multiple of 8, got ${size}`);
    if (!Number.isInteger(maxSources) || maxSources < 1)
      throw new RangeError(`DedupWindow maxSources must be a positive integer, got ${maxSources}`);
  }

  /** Sources remembered now. */
  get sourceCount(): number {
    return this.sources.size;
  }

  /**
   * Whether message `seq` (a non-negative integer) of `source` is new; it is remembered as seen.
   * False for a duplicate, an older number than the window holds, or a bad `seq`.
   */
  accept(source: string, seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 0) return false;
    let w = this.sources.get(source);
    if (w) {
      this.sources.delete(source); // re-inserted below: the Map's order is least recently heard first
    } else {
      if (this.sources.size >= this.maxSources) this.sources.delete(this.sources.keys().next().value!);
      w = { top: seq, bits: new Uint8Array(this.size / 8) };
      this.set(w, seq);
      this.sources.set(source, w);
      return true;
    }
    this.sources.set(source, w);
    if (seq > w.top) {
      if (seq - w.top >= this.size) w.bits.fill(0);
      else for (let s = w.top + 1; s < seq; s++) this.clear(w, s);
      w.top = seq;
      this.set(w, seq);
      return true;
    }
    if (w.top - seq >= this.size) return false;
    const i = seq % this.size;
    if ((w.bits[i >>> 3]! & (1 << (i & 7))) !== 0) return false;
    this.set(w, seq);
    return true;
  }

  private set(w: SourceWindow, seq: number): void {
    const i = seq % this.size;
    w.bits[i >>> 3] = (w.bits[i >>> 3] ?? 0) | (1 << (i & 7));
  }

  private clear(w: SourceWindow, seq: number): void {
    const i = seq % this.size;
    w.bits[i >>> 3] = (w.bits[i >>> 3] ?? 0) & ~(1 << (i & 7));
  }
}
