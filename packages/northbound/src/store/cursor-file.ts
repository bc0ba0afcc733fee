/**
 * The buffer's saved read cursor (`cursor.json`: the commit point and the dropped count). Saved by
 * overwriting one fixed-size record in place through a file descriptor kept open: one write of 96
 * bytes at offset 0, which a killed process cannot leave half done (a record is longer than any
 * JSON it holds, and than the unpadded files of earlier versions, so it always covers them). Not write-to-temp-and-rename:
 * on ext4 a rename over an existing file flushes the new file's data first (`auto_da_alloc`), which
 * blocked the bridge's event loop for milliseconds ten times a second (the northbound bench).
 */
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Position } from './position.js';

/** What the cursor file holds. */
export interface SavedCursor extends Position {
  dropped: number;
}

const FILE = 'cursor.json';
/** Bytes of a record: JSON padded with spaces, then a newline. */
const RECORD_BYTES = 96;

export class CursorFile {
  private fd: number | undefined;

  constructor(private readonly dir: string) {}

  /** The saved cursor, or undefined when there is none or it does not parse. */
  load(): SavedCursor | undefined {
    try {
      const parsed = JSON.parse(readFileSync(join(this.dir, FILE), 'utf8')) as Partial<SavedCursor>;
      if (typeof parsed.seg !== 'number' || typeof parsed.off !== 'number') return undefined;
      return { seg: parsed.seg, off: parsed.off, dropped: typeof parsed.dropped === 'number' ? parsed.dropped : 0 };
    } catch {
      return undefined;
    }
  }

  /** Save the cursor (throws on an I/O error). */
  save(cursor: SavedCursor): void {
    const record = Buffer.from(
      `${JSON.stringify({ seg: cursor.seg, off: cursor.off, dropped: cursor.dropped }).padEnd(RECORD_BYTES - 1)}\n`,
    );
    writeSync(this.open(), record, 0, record.length, 0);
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
  }

  private open(): number {
    this.fd ??= openSync(join(this.dir, FILE), constants.O_RDWR | constants.O_CREAT, 0o600);
    return this.fd;
  }
}
