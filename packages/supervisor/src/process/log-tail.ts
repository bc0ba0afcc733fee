/**
 * Reading a process's log file from the end: the last lines (`system.logTail`), and following it
 * while someone listens (`log <process>` events). Both are bounded: at most {@link MAX_TAIL_BYTES}
 * read from the end, lines cut at {@link MAX_LINE_CHARS}, and a follower reads only what was
 * appended, skipping to the last {@link MAX_TAIL_BYTES} when much more arrived at once. A rotated
 * log (the file shrank or was replaced) is followed from its start.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Most bytes read from the end of a log for one tail or one follow step. */
export const MAX_TAIL_BYTES = 256 * 1024;
/** Longer lines are cut and end with `…`. */
export const MAX_LINE_CHARS = 2000;

/** Split text into lines: no empty trailing line, `\r` dropped, long lines cut. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    return clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS)}…` : clean;
  });
}

/** Bytes `[start, end)` of an open file. */
function readRange(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, end - start));
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** The last `count` lines of `file` (fewer when it is shorter; none when it does not exist). */
export function tailFile(file: string, count: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - MAX_TAIL_BYTES);
    let text = readRange(fd, start, size).toString('utf8');
    // Started mid-file: the first line is partial, drop it.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return count <= 0 ? [] : splitLines(text).slice(-count);
  } finally {
    closeSync(fd);
  }
}

/**
 * Follow `file`: `onLines` gets each batch of complete lines appended after `follow` started
 * (a last line without its newline waits for it). Watches the directory, so rotation is seen.
 * Returns the stop function.
 */
export function followFile(file: string, onLines: (lines: string[]) => void): () => void {
  const stat = (): { size: number; ino: number } => {
    try {
      const s = statSync(file);
      return { size: s.size, ino: s.ino };
    } catch {
      return { size: 0, ino: 0 };
    }
  };
  let { size: offset, ino } = stat();
  let partial = '';
  const step = (): void => {
    const now = stat();
    const size = now.size;
    if (size < offset || now.ino !== ino) {
      offset = 0; // rotated: a new file
      partial = '';
      ino = now.ino;
    }
    if (size === offset) return;
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    let chunk: Buffer;
    try {
      const start = Math.max(offset, size - MAX_TAIL_BYTES);
      if (start > offset) partial = '';
      chunk = readRange(fd, start, size);
      offset = start + chunk.length;
    } finally {
      closeSync(fd);
    }
    const text = partial + chunk.toString('utf8');
    const cut = text.lastIndexOf('\n');
    partial = text.slice(cut + 1);
    if (partial.length > MAX_TAIL_BYTES) partial = '';
    if (cut < 0) return;
    const lines = splitLines(text.slice(0, cut + 1));
    if (lines.length > 0) onLines(lines);
  };
  const name = basename(file);
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (changed === null || changed === name) step();
  });
  watcher.on('error', () => {});
  return () => watcher.close();
}
