/**
 * A per-process log file with a size cap: when `name.log` would pass `maxBytes` it becomes
 * `name.log.1` (older ones shift up to `keep`, the oldest is deleted), so logs never fill the disk.
 * Also keeps the last lines of stderr in memory for `status`.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LogSettings {
  dir: string;
  maxBytes: number;
  keep: number;
}

export class RotatingLog {
  private fd: number | undefined;
  private size = 0;
  readonly path: string;

  constructor(
    private readonly settings: LogSettings,
    name: string,
  ) {
    mkdirSync(settings.dir, { recursive: true });
    this.path = join(settings.dir, `${name}.log`);
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  write(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.size + bytes.length > this.settings.maxBytes && this.size > 0) this.rotate();
    this.fd ??= openSync(this.path, 'a', 0o640);
    // A chunk larger than the cap is cut: the file never exceeds maxBytes.
    const chunk = bytes.length > this.settings.maxBytes ? bytes.subarray(bytes.length - this.settings.maxBytes) : bytes;
    writeSync(this.fd, chunk);
    this.size += chunk.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private rotate(): void {
    this.close();
    const { keep } = this.settings;
    if (keep <= 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${keep}`, { force: true });
      for (let i = keep - 1; i >= 1; i--)
        if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      renameSync(this.path, `${this.path}.1`);
    }
    this.size = 0;
  }
}

/** The last `max` lines of a stream, for status and failure reports. */
export class LineTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly max = 20) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) this.lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
  }

  get(): string[] {
    return this.partial.trim() ? [...this.lines, this.partial].slice(-this.max) : [...this.lines];
  }
}
