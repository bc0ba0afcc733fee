/**
 * The store behind the `store` module of `loggers_store`: owns the database (the only writer),
 * appends batches, answers queries, runs retention in bounded steps, and pauses when the disk
 * cannot be written (read-only, full, permission), reporting `loggerStatus` and trying again
 * every `retryMs` until a write succeeds.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { SeriesColumns, StoreConfigMessage, StoreQuery, StoreRetention, StoreStatus } from '../contract.js';
import { LoggerEvents } from '../contract.js';
import { LoggersCode, LoggersError } from '../errors.js';
import { HistoryReader } from './history-query.js';
import { retentionStep, totalRows, usedBytes } from './retention.js';
import {
  DATABASE_FILE,
  openSampleDatabase,
  StoreUnavailable,
  unavailableReason,
  type SampleDatabase,
} from './sample-db.js';
import { SampleWriter } from './sample-writer.js';

type Callback = (error: Error | null, ...results: unknown[]) => void;

interface Open {
  db: SampleDatabase;
  writer: SampleWriter;
  reader: HistoryReader;
}

export class StoreService extends EventEmitter {
  private open: Open | undefined;
  private paused: string | undefined;
  private movedAside: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retentionTimer: ReturnType<typeof setTimeout> | undefined;
  private retentionList: StoreRetention[] = [];
  private retentionRunning = false;
  private closed = false;

  constructor(
    private readonly config: StoreConfigMessage,
    private readonly log: Logger,
  ) {
    super();
    this.tryOpen();
    this.scheduleRetention(config.retentionEveryMs);
  }

  /** The database file. */
  get file(): string {
    return join(this.config.dir, DATABASE_FILE);
  }

  // ---- shared methods (the `store` module) --------------------------------------------------

  /** Write a batch in one transaction; answers how many rows were new. Fails while paused. */
  append(rows: SeriesColumns[], cb: Callback): void {
    if (!Array.isArray(rows))
      return cb(new LoggersError(LoggersCode.BAD_REQUEST, 'append: expected an array of series columns'));
    const open = this.open ?? this.tryOpen();
    if (!open) return cb(this.pausedError());
    try {
      const inserted = open.writer.append(rows);
      cb(null, inserted);
    } catch (error) {
      this.onWriteError(error);
      cb(
        this.open
          ? new LoggersError(LoggersCode.STORE_ERROR, `history store: ${(error as Error).message}`)
          : this.pausedError(),
      );
    }
  }

  history(query: StoreQuery, cb: Callback): void {
    this.read(cb, (open) => open.reader.query(query));
  }

  count(keys: string[], from: number, to: number, cb: Callback): void {
    this.read(cb, (open) => open.reader.count(keys, from, to));
  }

  /** Set the retention of every logger (replaces the previous list) and run a pass now. */
  retention(list: StoreRetention[], cb: Callback): void {
    this.retentionList = Array.isArray(list) ? list : [];
    this.scheduleRetention(0);
    cb(null);
  }

  status(cb: Callback): void {
    cb(null, this.snapshot());
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.retentionTimer);
    this.open?.db.close();
    this.open = undefined;
  }

  /** The store's status now. */
  snapshot(): StoreStatus {
    let rows = 0;
    let bytes = 0;
    if (this.open) {
      try {
        rows = totalRows(this.open.db);
        bytes = usedBytes(this.open.db);
      } catch {
        // a failing read leaves the figures at 0
      }
    }
    return {
      state: this.paused ? 'paused' : 'ok',
      detail: this.paused,
      file: this.file,
      movedAside: this.movedAside,
      rows,
      bytes,
    };
  }

  private read(cb: Callback, query: (open: Open) => unknown): void {
    const open = this.open ?? this.tryOpen();
    if (!open) return cb(this.pausedError());
    try {
      cb(null, query(open));
    } catch (error) {
      if (error instanceof LoggersError) return cb(error);
      cb(new LoggersError(LoggersCode.STORE_ERROR, `history store: ${(error as Error).message}`));
    }
  }

  private pausedError(): LoggersError {
    return new LoggersError(LoggersCode.STORE_DOWN, `history store paused: ${this.paused ?? 'not open'}`);
  }

  private tryOpen(): Open | undefined {
    if (this.closed) return undefined;
    try {
      const { db, movedAside } = openSampleDatabase(this.config.dir);
      if (movedAside) {
        this.movedAside = movedAside;
        this.log.error(
          { file: this.file, movedAside },
          `history database ${this.file} was corrupt: moved to ${movedAside}; a fresh one was started`,
        );
      }
      this.open = { db, writer: new SampleWriter(db), reader: new HistoryReader(db) };
      this.resume();
      return this.open;
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      this.pause(error.message);
      return undefined;
    }
  }

  private onWriteError(error: unknown): void {
    const reason = unavailableReason(error);
    if (reason === undefined) {
      this.log.error({ err: error }, 'history write failed');
      return;
    }
    try {
      this.open?.db.close();
    } catch {
      // closing a database on a failing disk may fail too
    }
    this.open = undefined;
    this.pause(`cannot write ${this.file}: ${(error as Error).message} (${reason})`);
  }

  private pause(detail: string): void {
    const changed = this.paused !== detail;
    this.paused = detail;
    if (changed) {
      this.log.warn({ detail }, 'history logging paused');
      this.emit(LoggerEvents.status, this.snapshot());
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void (this.open ?? this.tryOpen()), this.config.retryMs);
  }

  private resume(): void {
    if (this.paused === undefined && !this.movedAside) return;
    const was = this.paused;
    this.paused = undefined;
    clearTimeout(this.retryTimer);
    if (was !== undefined) this.log.info({ file: this.file }, 'history logging resumed');
    this.emit(LoggerEvents.status, this.snapshot());
  }

  private scheduleRetention(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.retentionTimer);
    this.retentionTimer = setTimeout(() => this.runRetention(), ms);
  }

  /** Steps until one deletes nothing, yielding between steps; then the next pass in `retentionEveryMs`. */
  private runRetention(): void {
    if (this.retentionRunning) return;
    const open = this.open;
    if (!open || this.retentionList.length === 0) return this.scheduleRetention(this.config.retentionEveryMs);
    this.retentionRunning = true;
    let total = 0;
    const step = (): void => {
      let deleted = 0;
      try {
        deleted = retentionStep(open.db, this.retentionList, this.config.retentionStepRows, Date.now());
      } catch (error) {
        this.onWriteError(error);
      }
      total += deleted;
      if (deleted > 0 && this.open === open && !this.closed) return void setImmediate(step);
      this.retentionRunning = false;
      if (total > 0) {
        this.log.info({ deleted: total }, 'retention pass');
        this.emit('retention', total);
      }
      this.scheduleRetention(this.config.retentionEveryMs);
    };
    step();
  }
}
