/**
 * The request queue of one line: one request in flight; urgent jobs (writes, on-demand reads) go
 * before the next poll request, so a write waits for at most one request, never a poll cycle;
 * and it is bounded: a poll group still queued (or running) when its next tick comes is skipped
 * and counted, and urgent jobs past `maxUrgent` fail at once. Memory does not grow with a slow device.
 */
import { ModbusCode, ModbusError } from './errors.js';

/** A unit of work on the line. */
export type Job<T> = () => Promise<T>;

interface UrgentEntry {
  run: Job<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface GroupRun {
  group: string;
  jobs: Array<Job<void>>;
  done(): void;
}

export class RequestQueue {
  private readonly urgentJobs: UrgentEntry[] = [];
  private readonly runs: GroupRun[] = [];
  private readonly busyGroups = new Set<string>();
  private readonly skips = new Map<string, number>();
  private running = false;
  private closed: Error | undefined;

  /** @param maxUrgent urgent jobs waiting at most (not counting the one running). */
  constructor(private readonly maxUrgent: number) {}

  /** Poll cycles skipped because the group was still queued, per group. */
  get skipped(): ReadonlyMap<string, number> {
    return this.skips;
  }

  /** Total poll cycles skipped. */
  get skippedTotal(): number {
    let total = 0;
    for (const n of this.skips.values()) total += n;
    return total;
  }

  /** Jobs waiting: urgent ones and poll requests. */
  get pending(): number {
    return this.urgentJobs.length + this.runs.reduce((sum, run) => sum + run.jobs.length, 0);
  }

  /** Run `job` before any queued poll request. Rejects with MODBUS_QUEUE_FULL when too many wait. */
  urgent<T>(job: Job<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.urgentJobs.length >= this.maxUrgent) {
      return Promise.reject(
        new ModbusError(ModbusCode.QUEUE_FULL, `${this.urgentJobs.length} requests already wait for the line`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.urgentJobs.push({ run: job, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  /**
   * Queue one cycle of poll group `group` (its jobs run in order, urgent jobs may run between
   * them; a job's rejection is ignored: jobs report their own errors). Returns a promise that
   * resolves when the cycle is done, or undefined (and counts a skip) when the previous cycle of
   * the group has not finished.
   */
  poll(group: string, jobs: ReadonlyArray<Job<void>>): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.busyGroups.has(group)) {
      this.skips.set(group, (this.skips.get(group) ?? 0) + 1);
      return undefined;
    }
    this.busyGroups.add(group);
    return new Promise<void>((resolve) => {
      this.runs.push({
        group,
        jobs: [...jobs],
        done: () => {
          this.busyGroups.delete(group);
          resolve();
        },
      });
      this.pump();
    });
  }

  /** Refuse new jobs, fail the urgent ones waiting with `error`, drop queued poll requests. */
  close(error: Error): void {
    this.closed ??= error;
    for (const entry of this.urgentJobs.splice(0)) entry.reject(error);
    for (const run of this.runs.splice(0)) run.done();
  }

  private next(): (() => Promise<void>) | undefined {
    const urgent = this.urgentJobs.shift();
    if (urgent) return () => urgent.run().then(urgent.resolve, urgent.reject);
    const run = this.runs[0];
    if (!run) return undefined;
    const job = run.jobs.shift();
    if (run.jobs.length === 0) this.runs.shift();
    return async () => {
      try {
        if (job) await job();
      } catch {
        // poll jobs report their own failures
      } finally {
        if (run.jobs.length === 0 && !this.runs.includes(run)) run.done();
      }
    };
  }

  private pump(): void {
    if (this.running) return;
    const step = this.next();
    if (!step) return;
    this.running = true;
    void step().finally(() => {
      this.running = false;
      this.pump();
    });
  }
}
