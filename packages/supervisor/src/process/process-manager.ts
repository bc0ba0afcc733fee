/**
 * The supervised processes, in start order: started one after the other (each until it is up or
 * its start timeout passes), stopped all at once (each SIGTERM, then SIGKILL after its stop
 * timeout: the whole stop takes at most about one stop timeout), listed with pid, restarts,
 * uptime, memory.
 */
import { CodedError } from '@weble/peers-core';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ProcessInfo } from '../status-client.js';
import { SupervisedChild, type ChildSettings, type ChildSpec } from './supervised-child.js';

const PAGE_SIZE = 4096;

/** Resident memory of a process in bytes, from /proc (Linux), or null. */
export function residentBytes(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? pages * PAGE_SIZE : null;
  } catch {
    return null;
  }
}

/** A process as the manager lists it: what `status` shows, plus where its log is (not sent to clients). */
export type ProcessListing = ProcessInfo & { logFile: string };

export class UnknownProcessError extends CodedError<'UNKNOWN_PROCESS'> {
  override name = 'UnknownProcessError';
  constructor(message: string, options?: ErrorOptions) {
    super('UNKNOWN_PROCESS', message, options);
  }
}

/** Told of every state change of every supervised process. */
export type StateListener = (name: string, state: string) => void;

export class ProcessManager {
  private readonly children = new Map<string, SupervisedChild>();
  private readonly stateListeners = new Set<StateListener>();

  constructor(
    private readonly settings: ChildSettings,
    private readonly logger: Logger,
  ) {}

  get(name: string): SupervisedChild | undefined {
    return this.children.get(name);
  }

  names(): string[] {
    return [...this.children.keys()];
  }

  /** Register a process (not started). */
  add(spec: ChildSpec, settings: ChildSettings = this.settings): SupervisedChild {
    if (this.children.has(spec.name)) throw new Error(`process ${spec.name} is already supervised`);
    const child = new SupervisedChild(spec, settings, this.logger.child({ child: spec.name }));
    this.children.set(spec.name, child);
    child.on('state', (state: string) => {
      for (const listener of this.stateListeners) listener(spec.name, state);
    });
    return child;
  }

  /** Listen to the state changes of every process (also those added later); returns the unsubscribe. */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Start one process and wait until it is up, or until it failed to come up in time. */
  startAndWait(name: string): Promise<void> {
    const child = this.require(name);
    return new Promise((resolve) => {
      const done = (state: string): void => {
        if (state === 'starting') return;
        child.removeListener('state', done);
        resolve();
      };
      child.on('state', done);
      child.start();
      if (child.state === 'up') done('up');
    });
  }

  /** Start these processes, at most `concurrency` coming up at a time, in the given order. */
  async startMany(names: string[], concurrency: number): Promise<void> {
    const queue = [...names];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await this.startAndWait(name);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  /** Start every registered process in order. */
  async startAll(): Promise<void> {
    for (const name of this.children.keys()) await this.startAndWait(name);
  }

  /**
   * Stop every process in parallel (SIGTERM to all, last started first, then SIGKILL to each
   * still running after the stop timeout): bounded by one stop timeout, not the sum of them.
   */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children.values()].reverse().map((child) => child.dispose()));
  }

  /** Stop a process and forget it. */
  async remove(name: string): Promise<void> {
    const child = this.children.get(name);
    if (!child) return;
    await child.dispose();
    this.children.delete(name);
  }

  markUp(name: string): void {
    this.children.get(name)?.markUp();
  }

  async restart(name: string): Promise<void> {
    await this.require(name).restart();
  }

  async stop(name: string): Promise<void> {
    await this.require(name).stop();
  }

  async start(name: string): Promise<void> {
    this.require(name).start();
  }

  list(): ProcessListing[] {
    return [...this.children.values()].map((c) => {
      const info: ProcessListing = {
        name: c.spec.name,
        kind: c.spec.kind,
        state: c.state,
        pid: c.state === 'starting' || c.state === 'up' || c.state === 'stopping' ? (c.pid ?? null) : null,
        restarts: c.restarts,
        uptimeMs: c.uptimeMs ?? null,
        rss: c.state === 'up' || c.state === 'starting' ? residentBytes(c.pid) : null,
        logFile: c.logFile,
      };
      if (c.state === 'failed' || c.state === 'backoff') info.lastError = c.stderrTail();
      return info;
    });
  }

  private require(name: string): SupervisedChild {
    const child = this.children.get(name);
    if (!child)
      throw new UnknownProcessError(
        `no supervised process named ${JSON.stringify(name)} (known: ${this.names().join(', ') || 'none'})`,
      );
    return child;
  }
}
