/**
 * The driver process's logger: pino's JSON lines (`level`, `time`, `pid`, `hostname`, bindings,
 * `msg`; errors under `err` as `{type, message, stack, ...own fields}`) written synchronously to
 * stderr, without pino itself. A driver is a small long-lived process: pino, its worker-thread
 * transports and their Node modules cost about 2 MiB of RSS per process (docs/memory.md), and a
 * driver only ever writes a few lines. The interface is the subset of pino's `Logger` that the
 * kit, peers-core and the drivers call (level methods, `child`, `level`, `isLevelEnabled`).
 */
import { writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';

/** pino's level numbers. */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type LevelName = keyof typeof LEVELS;

/** Where lines go; default a synchronous write to stderr (fd 2, as pino.destination({ sync: true })). */
export type LineSink = (line: string) => void;

/** Options of {@link createLineLogger}. */
export interface LineLoggerOptions {
  /** The `name` field of every line. */
  name?: string;
  /** Lowest level written (`trace` ... `fatal`, or `silent`). Default `info`. */
  level?: string;
  sink?: LineSink;
}

const writeStderr: LineSink = (line) => {
  try {
    writeSync(2, line);
  } catch {
    // stderr closed (the supervisor went away) or full: the line is lost, the driver goes on.
  }
};

/** pino's standard `err` serializer: type, message, stack and the error's own fields (code...). */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? 'Error',
    message: error.message,
    stack: error.stack,
  };
  for (const [key, value] of Object.entries(error))
    if (!(key in out)) out[key] = value instanceof Error ? serializeError(value) : value;
  if (error.cause !== undefined && !('cause' in out)) out.cause = serializeError(error.cause);
  return out;
}

/** JSON text of a line's fields; values JSON cannot carry (BigInt, cycles) become text. */
function stringify(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (key, value: unknown) => {
    if (key === 'err' || value instanceof Error) return serializeError(value);
    if (typeof value === 'bigint') return value.toString();
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

function levelNumber(level: string): number {
  return level === 'silent' ? Infinity : (LEVELS[level as LevelName] ?? LEVELS.info);
}

class LineLogger {
  private threshold: number;

  constructor(
    private levelName: string,
    private readonly prefix: Record<string, unknown>,
    private readonly sink: LineSink,
  ) {
    this.threshold = levelNumber(levelName);
  }

  get level(): string {
    return this.levelName;
  }

  set level(level: string) {
    this.levelName = level;
    this.threshold = levelNumber(level);
  }

  isLevelEnabled(level: string): boolean {
    return levelNumber(level) >= this.threshold;
  }

  child(bindings: Record<string, unknown>): LineLogger {
    return new LineLogger(this.levelName, { ...this.prefix, ...bindings }, this.sink);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  /** pino's call forms: `(msg)`, `(fields, msg?)`, `(error, msg?)`. */
  private write(level: LevelName, args: unknown[]): void {
    const value = LEVELS[level];
    if (value < this.threshold) return;
    const [first, second] = args;
    let fields: Record<string, unknown> = {};
    let msg: unknown;
    if (first instanceof Error) {
      fields = { err: first };
      msg = typeof second === 'string' ? second : first.message;
    } else if (first !== null && typeof first === 'object') {
      fields = first as Record<string, unknown>;
      msg = second;
    } else {
      msg = first;
    }
    const record = {
      level: value,
      time: Date.now(),
      ...this.prefix,
      ...fields,
      ...(msg !== undefined ? { msg: String(msg) } : {}),
    };
    this.sink(`${stringify(record)}\n`);
  }
}

/** A pino-compatible logger writing JSON lines (to stderr unless `sink` says otherwise). */
export function createLineLogger(options: LineLoggerOptions = {}): Logger {
  const base = {
    pid: process.pid,
    hostname: hostname(),
    ...(options.name !== undefined ? { name: options.name } : {}),
  };
  return new LineLogger(options.level ?? 'info', base, options.sink ?? writeStderr) as unknown as Logger;
}
