/**
 * The hub's side of the alarm history: a queue of records and states in memory, written by the
 * store worker (store-worker.ts) one batch (one transaction) at a time, and queries answered by
 * it. A disk that cannot be written (read-only, full) pauses the store: records wait in the queue
 * (at most {@link MAX_PENDING_RECORDS}), `alarmStoreStatus` says why, and the worker is asked
 * again every `retryMs` until it writes. A worker that dies is started again. Nothing here throws
 * into the hub.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { MAX_PENDING_RECORDS, type AlarmRecord, type AlarmStoreStatus } from '../contract.js';
import { AlarmsCode, AlarmsError } from '../errors.js';
import { ALARMS_DATABASE_FILE, matchesQuery, type StoreQuery } from './alarm-db.js';
import type { FromWorker, StatusChange, StoreItem, ToWorker } from './worker-protocol.js';

/** Records kept in `alarms.sqlite` at most (the oldest are deleted beyond). */
export const MAX_STORED_RECORDS = 1_000_000;

/** The worker's script: `dist/alarms-store.js` beside the built supervisor. */
export function alarmsWorkerFile(): string {
  const candidates = [
    new URL('./alarms-store.js', import.meta.url),
    new URL('../../../dist/alarms-store.js', import.meta.url),
  ];
  const found = candidates.map((u) => fileURLToPath(u)).find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `the alarm store worker is missing (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}): build @weble/supervisor`,
    );
  return found;
}

/** What the store needs. */
export interface AlarmStoreOptions {
  /** Directory of `alarms.sqlite` (the site's history directory). */
  dir: string;
  /** While paused, try again this often, ms. */
  retryMs: number;
  logger: Logger;
  /** The kept states, once the database is open (once per start of the hub). */
  onStates(states: StatusChange[]): void;
  /** The status changed (paused, resumed). */
  onStatus(status: AlarmStoreStatus): void;
}

type Pending = { resolve: (answer: FromWorker) => void };

export class AlarmStore {
  private worker: Worker | undefined;
  private readonly queue: StoreItem[] = [];
  private inFlight: StoreItem[] | undefined;
  private readonly answers = new Map<number, Pending>();
  private next = 0;
  private opened = false;
  private started = false;
  /** Set once the site's processes have started: from then on a record opens the store. */
  siteUp = false;
  /** Settles once the first attempt to open the database is answered. */
  private readonly firstAttempt: Promise<void>;
  private attempted!: () => void;
  private restored = false;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private current: AlarmStoreStatus;

  constructor(private readonly options: AlarmStoreOptions) {
    this.current = { state: 'starting', file: join(options.dir, ALARMS_DATABASE_FILE), pending: 0, dropped: 0 };
    this.firstAttempt = new Promise((resolve) => (this.attempted = resolve));
  }

  /** Start the worker (once): once the site is up (when it has alarms), or with the first query; records wait until then. */
  open(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.start();
  }

  /** The store's health now. */
  status(): AlarmStoreStatus {
    return { ...this.current, pending: this.queue.length + (this.inFlight?.length ?? 0) };
  }

  /** Keep a record and/or a state change (written soon, in order). */
  write(item: StoreItem): void {
    if (this.closed) return;
    if (this.siteUp) this.open();
    this.queue.push(item);
    if (this.queue.length > MAX_PENDING_RECORDS) {
      this.queue.shift();
      this.current.dropped++;
      if (this.current.dropped === 1 || this.current.dropped % 1000 === 0)
        this.options.logger.error(
          { dropped: this.current.dropped },
          'alarm history queue full: oldest records dropped',
        );
    }
    if (this.queue.length === 1) queueMicrotask(() => this.flush());
  }

  /** Records matching `query`, newest first: stored ones and those still waiting to be written. */
  async query(query: StoreQuery): Promise<AlarmRecord[]> {
    this.open();
    await this.firstAttempt;
    const waiting = [...(this.inFlight ?? []), ...this.queue].flatMap((i) =>
      i.record && matchesQuery(i.record, query) ? [i.record] : [],
    );
    const answer = this.opened ? await this.ask({ type: 'query', n: 0, query }) : undefined;
    if (answer?.type !== 'ok') {
      const why = answer?.type === 'failed' ? answer.detail : (this.current.detail ?? 'the database is not open yet');
      throw new AlarmsError(
        AlarmsCode.STORE_UNAVAILABLE,
        `history: the alarm history (${this.current.file}) cannot be read: ${why}`,
      );
    }
    // A record written while the query ran is in both: once is enough.
    const identity = (r: AlarmRecord): string => `${r.id}|${r.event}|${r.at}|${r.state}`;
    const stored = answer.records ?? [];
    const seen = new Set(stored.map(identity));
    return [...waiting.filter((r) => !seen.has(identity(r))).reverse(), ...stored]
      .sort((a, b) => b.at - a.at)
      .slice(0, query.limit);
  }

  /** Write what waits (at most `timeoutMs`), then stop the worker. */
  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.inFlight) && this.opened && Date.now() < deadline) {
      this.flush();
      await new Promise((resolve) => setTimeout(resolve, 10)); // polling the queue's progress during shutdown
    }
    if (this.queue.length > 0)
      this.options.logger.warn({ pending: this.queue.length }, 'alarm records not yet stored at shutdown');
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.worker?.terminate();
  }

  // ---- internals ---------------------------------------------------------------------------

  private start(): void {
    const worker = new Worker(alarmsWorkerFile());
    this.worker = worker;
    worker.unref();
    worker.on('message', (answer: FromWorker) => {
      const pending = this.answers.get(answer.n);
      this.answers.delete(answer.n);
      pending?.resolve(answer);
    });
    worker.on('error', (error) =>
      this.options.logger.error({ err: error }, `alarm store worker failed: ${error.message}`),
    );
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.opened = false;
      for (const [n, pending] of this.answers)
        pending.resolve({ type: 'failed', n, detail: `the alarm store worker exited (${code})`, unavailable: false });
      this.answers.clear();
      if (!this.closed) this.retry(`the alarm store worker exited (${code})`, () => this.start());
    });
    void this.openDatabase();
  }

  private async openDatabase(): Promise<void> {
    const answer = await this.ask({ type: 'open', n: 0, dir: this.options.dir, maxRecords: MAX_STORED_RECORDS });
    this.attempted();
    if (answer.type === 'failed') return this.retry(answer.detail, () => void this.openDatabase());
    this.opened = true;
    if (answer.movedAside)
      this.options.logger.error(
        { movedAside: answer.movedAside },
        `the alarm history was not a sound database: moved aside to ${answer.movedAside}`,
      );
    if (!this.restored) {
      this.restored = true;
      this.options.onStates(answer.states ?? []);
    }
    this.setStatus({ state: 'ok', detail: undefined });
    this.flush();
  }

  private flush(): void {
    if (!this.opened || this.inFlight || this.queue.length === 0 || this.closed) return;
    const batch = this.queue.splice(0, 1000);
    this.inFlight = batch;
    void this.ask({ type: 'write', n: 0, items: batch }).then((answer) => {
      this.inFlight = undefined;
      if (answer.type === 'failed') {
        this.queue.unshift(...batch);
        // The database stays open (reads still work on a read-only or full disk): write again later.
        // (A worker that died is started again by its exit handler, which then writes.)
        if (this.worker) this.retry(answer.detail, () => this.flush());
        return;
      }
      if (this.current.state !== 'ok') this.setStatus({ state: 'ok', detail: undefined });
      this.flush();
    });
  }

  /** Pause: say why, and `again` in `retryMs` (open again, write again, or start a new worker). */
  private retry(detail: string, again: () => void): void {
    if (this.current.detail !== detail || this.current.state !== 'paused') {
      this.options.logger.error({ detail }, `alarm history paused: ${detail}`);
      this.setStatus({ state: 'paused', detail });
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.closed) again();
    }, this.options.retryMs);
    this.retryTimer.unref?.();
  }

  private setStatus(change: Pick<AlarmStoreStatus, 'state' | 'detail'>): void {
    this.current = { ...this.current, ...change };
    this.options.onStatus(this.status());
  }

  private ask(message: ToWorker): Promise<FromWorker> {
    const worker = this.worker;
    const n = ++this.next;
    if (!worker)
      return Promise.resolve({
        type: 'failed',
        n,
        detail: 'the alarm store worker is not running',
        unavailable: false,
      });
    return new Promise((resolve) => {
      this.answers.set(n, { resolve });
      worker.postMessage({ ...message, n });
    });
  }
}
