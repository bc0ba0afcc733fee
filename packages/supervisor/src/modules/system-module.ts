/**
 * The `system` core module on `supervision`: the host (memory, load, uptime, versions) and the
 * supervised processes (list, restart, stop, start).
 */
import os from 'node:os';
import type { ProcessInfo } from '../status-client.js';

type Callback = (error: Error | null, ...results: unknown[]) => void;

/** What the module needs from the process manager. */
export interface ProcessControl {
  list(): Promise<ProcessInfo[]>;
  restart(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
}

export class SystemModule {
  constructor(private readonly control: ProcessControl) {}

  totalmem(cb: Callback): void {
    cb(null, os.totalmem());
  }

  freemem(cb: Callback): void {
    cb(null, os.freemem());
  }

  uptime(cb: Callback): void {
    cb(null, os.uptime());
  }

  loadavg(cb: Callback): void {
    cb(null, os.loadavg());
  }

  cpus(cb: Callback): void {
    cb(null, os.cpus().map((c) => ({ model: c.model, speed: c.speed })));
  }

  versions(cb: Callback): void {
    cb(null, { ...process.versions });
  }

  /** Every supervised process: name, state, pid, restarts, uptime, memory. */
  list(cb: Callback): void {
    this.control.list().then((list) => cb(null, list), (e: Error) => cb(e));
  }

  /** The same as `list`, under the name the issue and the UI use. */
  processes(cb: Callback): void {
    this.list(cb);
  }

  restart(name: string, cb: Callback): void {
    this.control.restart(String(name)).then(() => cb(null), (e: Error) => cb(e));
  }

  stop(name: string, cb: Callback): void {
    this.control.stop(String(name)).then(() => cb(null), (e: Error) => cb(e));
  }

  start(name: string, cb: Callback): void {
    this.control.start(String(name)).then(() => cb(null), (e: Error) => cb(e));
  }
}
