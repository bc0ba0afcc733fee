/**
 * The store-and-forward buffer: values appended to segment files on disk, read in order, and
 * committed once the broker has them. It survives a restart of the process (appends are written to
 * the file at once, so a SIGKILL loses nothing appended; the read cursor is saved at most
 * `cursorSaveMs` after a commit, so values committed in that window are sent again after a crash:
 * the only duplicates). Bounded: beyond `maxBytes` on disk the oldest segment goes, its unsent
 * values counted as dropped.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { NorthboundCode, NorthboundError } from '../errors.js';
import type { Sample } from '../plain/payload.js';
import { CursorFile } from './cursor-file.js';
import { Fifo } from './fifo.js';
import { comparePositions, segmentName, segmentNumber, type Position } from './position.js';
import { decodeRecord, encodeRecord } from './record-codec.js';

/** Options of {@link DiskQueue}. */
export interface DiskQueueOptions {
  dir: string;
  /** Largest size of the segment files together, bytes. */
  maxBytes: number;
  /** A segment is closed at this size, bytes. Default maxBytes/8 within 4 KiB..4 MiB. */
  segmentBytes?: number;
  /** The read cursor is saved this long after a commit, ms. Default 100. */
  cursorSaveMs?: number;
}

/** A value read from the buffer, with where it ends (commit that position once it is sent). */
export interface QueuedSample {
  sample: Sample;
  end: Position;
}

const READ_CHUNK = 256 * 1024;
const HOT_LIMIT = 20_000;

export class DiskQueue {
  /** Values in the buffer not yet committed. */
  count = 0;
  /** Values dropped because the buffer was full, since the buffer was created. */
  dropped = 0;
  /** Lines that did not parse (torn writes), skipped. */
  corrupt = 0;
  private readonly segmentBytes: number;
  private readonly sizes = new Map<number, number>();
  private cursor: Position;
  private read: Position;
  private tail: Position;
  private fd: number;
  private readonly cursorFile: CursorFile;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Values appended since the reader caught up, kept in memory to spare a disk read. */
  private hot: Fifo<QueuedSample> | undefined = new Fifo();
  /** Values read from disk past the read position (the rest of the last chunk read). */
  private ahead = new Fifo<QueuedSample>();
  /** Where the chunk `ahead` came from ends (past any torn line after its last record). */
  private aheadEnd: Position = { seg: 0, off: 0 };

  constructor(private readonly options: DiskQueueOptions) {
    this.segmentBytes = options.segmentBytes ?? Math.min(4 << 20, Math.max(4096, Math.floor(options.maxBytes / 8)));
    this.cursorFile = new CursorFile(options.dir);
    try {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      for (const file of readdirSync(options.dir)) {
        const seg = segmentNumber(file);
        if (seg !== undefined) this.sizes.set(seg, statSync(join(options.dir, file)).size);
      }
      const saved = this.cursorFile.load();
      const segs = this.segments();
      const first = segs[0] ?? 1;
      const last = segs[segs.length - 1] ?? 1;
      this.cursor = saved && this.sizes.has(saved.seg) ? { seg: saved.seg, off: saved.off } : { seg: first, off: 0 };
      this.dropped = saved?.dropped ?? 0;
      for (const seg of segs) if (seg < this.cursor.seg) this.removeSegment(seg);
      this.read = { ...this.cursor };
      this.tail = { seg: last, off: this.sizes.get(last) ?? 0 };
      this.fd = openSync(join(options.dir, segmentName(last)), 'a', 0o600);
      this.sizes.set(last, this.tail.off);
      this.count = this.countFrom(this.cursor);
      this.hot = this.count === 0 ? new Fifo() : undefined;
    } catch (error) {
      if (error instanceof NorthboundError) throw error;
      throw new NorthboundError(NorthboundCode.BUFFER_IO, `buffer ${options.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Bytes on disk. */
  get bytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Append values (written to the file before this returns). Returns how many older values were dropped to make room. */
  append(samples: readonly Sample[]): number {
    if (samples.length === 0) return 0;
    const lines = samples.map(encodeRecord);
    const text = lines.join('');
    const data = Buffer.from(text);
    // Bytes per line for the positions below: its length in characters when every one is ASCII.
    const ascii = data.length === text.length;
    if (this.tail.off > 0 && this.tail.off + data.length > this.segmentBytes) this.rotate();
    let off = this.tail.off;
    try {
      writeSync(this.fd, data);
    } catch (error) {
      throw new NorthboundError(
        NorthboundCode.BUFFER_IO,
        `buffer ${this.options.dir}: cannot append: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (this.hot) {
      for (let i = 0; i < samples.length; i++) {
        off += ascii ? lines[i]!.length : Buffer.byteLength(lines[i]!);
        this.hot.push({ sample: samples[i]!, end: { seg: this.tail.seg, off } });
      }
      if (this.hot.length > HOT_LIMIT) this.hot = undefined;
    }
    this.tail.off += data.length;
    this.sizes.set(this.tail.seg, this.tail.off);
    this.count += samples.length;
    return this.enforceBound();
  }

  /** The next values after the ones already read (up to `max`), in order. */
  next(max: number): QueuedSample[] {
    if (this.ahead.length > 0) {
      const out = this.ahead.take(max);
      this.read = this.ahead.length > 0 ? out[out.length - 1]!.end : this.aheadEnd;
      return out;
    }
    if (this.hot && this.hot.length > 0) {
      const out = this.hot.take(max);
      this.read = out[out.length - 1]!.end;
      return out;
    }
    const out: QueuedSample[] = [];
    while (out.length < max && comparePositions(this.read, this.tail) < 0) {
      const size = this.sizes.get(this.read.seg);
      if (size === undefined || this.read.off >= size) {
        const following = this.segments().find((s) => s > this.read.seg);
        if (following === undefined) break;
        this.read = { seg: following, off: 0 };
        continue;
      }
      this.readChunk(out, max);
    }
    if (comparePositions(this.read, this.tail) >= 0 && !this.hot) this.hot = new Fifo();
    return out;
  }

  /** Forget what was read but not committed: the next `next` starts again at the commit point. */
  rewind(): void {
    this.ahead = new Fifo();
    this.read = { ...this.cursor };
    this.hot = comparePositions(this.read, this.tail) >= 0 ? new Fifo() : undefined;
  }

  /** The broker has every value up to `end`: drop them from the buffer. */
  commit(end: Position, values: number): void {
    if (comparePositions(end, this.cursor) <= 0) return;
    const previous = this.cursor.seg;
    this.cursor = { ...end };
    this.count = Math.max(0, this.count - values);
    if (this.cursor.seg !== previous)
      for (const seg of this.segments()) if (seg < this.cursor.seg && seg >= previous) this.removeSegment(seg);
    if (this.count === 0 && comparePositions(this.cursor, this.tail) >= 0 && this.tail.off > this.segmentBytes / 2)
      this.rotate();
    this.saveTimer ??= setTimeout(() => this.saveCursor(), this.options.cursorSaveMs ?? 100);
  }

  /** Save the cursor now and close the file. */
  close(): void {
    this.saveCursor();
    this.cursorFile.close();
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private readChunk(out: QueuedSample[], max: number): void {
    const file = join(this.options.dir, segmentName(this.read.seg));
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(READ_CHUNK, (this.sizes.get(this.read.seg) ?? 0) - this.read.off));
      const got = readSync(fd, buffer, 0, buffer.length, this.read.off);
      const end = buffer.lastIndexOf(10, got - 1);
      if (end < 0) {
        // A line longer than a chunk, or a torn last line: skip to the end of the segment.
        this.corrupt++;
        this.read = { seg: this.read.seg, off: this.sizes.get(this.read.seg) ?? this.read.off };
        return;
      }
      // Parse the whole chunk: what `max` leaves over waits in `ahead` for the next calls.
      const parsed: QueuedSample[] = [];
      let start = 0;
      while (start <= end) {
        const nl = buffer.indexOf(10, start);
        const sample = decodeRecord(buffer.toString('utf8', start, nl));
        const position = { seg: this.read.seg, off: this.read.off + nl + 1 };
        if (sample) parsed.push({ sample, end: position });
        else this.corrupt++;
        start = nl + 1;
      }
      const chunkEnd = { seg: this.read.seg, off: this.read.off + start };
      const taken = parsed.slice(0, max - out.length);
      out.push(...taken);
      this.ahead = new Fifo();
      for (let i = taken.length; i < parsed.length; i++) this.ahead.push(parsed[i]!);
      this.aheadEnd = chunkEnd;
      this.read = this.ahead.length > 0 ? out[out.length - 1]!.end : chunkEnd;
    } finally {
      closeSync(fd);
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    const seg = this.tail.seg + 1;
    this.fd = openSync(join(this.options.dir, segmentName(seg)), 'a', 0o600);
    this.tail = { seg, off: 0 };
    this.sizes.set(seg, 0);
  }

  /** Drop the oldest segments while the buffer is over its size. */
  private enforceBound(): number {
    let dropped = 0;
    while (this.bytes > this.options.maxBytes) {
      const oldest = this.segments()[0]!;
      if (oldest === this.tail.seg) {
        this.rotate();
        continue;
      }
      const lost = this.countSegment(oldest, oldest === this.cursor.seg ? this.cursor.off : 0);
      dropped += lost;
      this.removeSegment(oldest);
      const next = this.segments()[0]!;
      if (this.cursor.seg <= oldest) this.cursor = { seg: next, off: 0 };
      if (this.read.seg <= oldest) this.read = { seg: next, off: 0 };
      this.hot?.filter((item) => item.end.seg > oldest);
      this.ahead.filter((item) => item.end.seg > oldest);
    }
    if (dropped > 0) {
      this.count = Math.max(0, this.count - dropped);
      this.dropped += dropped;
      this.saveCursor();
    }
    return dropped;
  }

  private segments(): number[] {
    return [...this.sizes.keys()].sort((a, b) => a - b);
  }

  private countFrom(from: Position): number {
    let total = 0;
    for (const seg of this.segments())
      if (seg >= from.seg) total += this.countSegment(seg, seg === from.seg ? from.off : 0);
    return total;
  }

  private countSegment(seg: number, from: number): number {
    const data = readFileSync(join(this.options.dir, segmentName(seg)));
    let lines = 0;
    for (let i = data.indexOf(10, from); i >= 0; i = data.indexOf(10, i + 1)) lines++;
    return lines;
  }

  private removeSegment(seg: number): void {
    if (seg === this.tail?.seg) return;
    try {
      unlinkSync(join(this.options.dir, segmentName(seg)));
    } catch {
      // already gone
    }
    this.sizes.delete(seg);
  }

  private saveCursor(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    try {
      this.cursorFile.save({ ...this.cursor, dropped: this.dropped });
    } catch {
      // the next commit tries again; a stale cursor only means values sent again
    }
  }
}
