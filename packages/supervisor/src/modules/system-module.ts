/**
 * The `system` core module on `supervision`: the host (memory, load, uptime, versions) and the
 * supervised processes (list with state, pid, restarts, uptime and resident memory; restart, stop,
 * start; the tail of a process's log, and its new log lines live as `log <process>` events,
 * followed only while someone listens; `processState (name, state)` at every state change).
 */
import { CodedError } from '@weble/peers-core';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { ConfigRestoreResult, ConfigVersion, ProcessInfo, ReplyOf, ServedSystem, SystemApi } from '@weble/api';
import { followFile, tailFile } from '../process/log-tail.js';

/** The callback of method `K` of the API. */
type Reply<K extends keyof SystemApi> = ReplyOf<SystemApi, K>;

/** What the module needs from the process manager. */
export interface ProcessControl {
  /** Processes; an entry may carry `logFile` (the manager's listing), used for logs and never sent. */
  list(): Promise<ProcessInfo[]>;
  /** The supervisor's own log: `logTail(name)` and `log <name>` read it like a process's. */
  ownLog?: { name: string; file: string };
  restart(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
  /** State changes of every process, re-emitted as `processState (name, state)`. */
  onState?(listener: (name: string, state: string) => void): unknown;
  /** Versions of site.yaml kept by runtime changes, newest first. */
  configVersions?(): Promise<ConfigVersion[]>;
  /** Put a version back as site.yaml and reload it; answers the reload's outcome. */
  restoreConfig?(id: string): Promise<ConfigRestoreResult>;
  /** What stops working while process `name` is down, one line each (the UI's confirmations). */
  dependents?(name: string): Promise<string[]>;
  /** The peer whose call runs now (peers' `currentCaller()`). */
  currentCaller?(): string | undefined;
}

/** The web server's process name and the shape of its sessions' peer names (which reach the site through it). */
const WEB_SERVER = 'webserver';
const WEB_SESSION = /^web_/;

/** The codes of the `system` module's errors (packages/supervisor/README.md). */
export const SYSTEM_CODES = ['UNKNOWN_PROCESS', 'BAD_REQUEST', 'NO_LOG', 'SELF_STOP'] as const;

/** A coded error of the `system` module. */
export class SystemError extends CodedError<(typeof SYSTEM_CODES)[number]> {
  override name = 'SystemError';
}

/** Default and largest line counts of `logTail`. */
export const LOG_TAIL_DEFAULT = 100;
export const LOG_TAIL_MAX = 1000;

const LOG_EVENT = /^log (.+)$/;

/** The module; its shared methods are the API's (`@weble/api`, checked here by `implements`). */
export class SystemModule extends EventEmitter implements ServedSystem {
  /** Followers of log files, by process name, alive while `log <name>` has listeners. */
  private readonly followers = new Map<string, () => void>();

  constructor(private readonly control: ProcessControl) {
    super();
    this.setMaxListeners(0);
    this.on('newListener', (event: string | symbol) => this.onListen(event));
    this.on('removeListener', (event: string | symbol) => this.onUnlisten(event));
    control.onState?.((name, state) => this.emit('processState', name, state));
  }

  totalmem(cb: Reply<'totalmem'>): void {
    cb(null, os.totalmem());
  }

  freemem(cb: Reply<'freemem'>): void {
    cb(null, os.freemem());
  }

  uptime(cb: Reply<'uptime'>): void {
    cb(null, os.uptime());
  }

  loadavg(cb: Reply<'loadavg'>): void {
    cb(null, os.loadavg());
  }

  cpus(cb: Reply<'cpus'>): void {
    cb(
      null,
      os.cpus().map((c) => ({ model: c.model, speed: c.speed })),
    );
  }

  versions(cb: Reply<'versions'>): void {
    cb(null, { ...process.versions });
  }

  /** Every supervised process: name, kind, state, pid, restarts, uptimeMs, rss (bytes), lastError. */
  list(cb: Reply<'list'>): void {
    this.control.list().then(
      (list) =>
        cb(
          null,
          list.map(({ logFile: _drop, ...info }: ProcessInfo & { logFile?: string }) => info),
        ),
      (e: Error) => cb(e),
    );
  }

  /** Versions of site.yaml kept beside it: `[{id, savedAt, bytes}]`, newest first. */
  configHistory(cb: Reply<'configHistory'>): void {
    if (!this.control.configVersions) return cb(null, []);
    this.control.configVersions().then(
      (list) => cb(null, list),
      (e: Error) => cb(e),
    );
  }

  /** Put version `id` (as listed, or 1 for the newest) back as site.yaml and reload the site: `{ok, problems}`. */
  configRestore(id: unknown, cb: Reply<'configRestore'>): void {
    if ((typeof id !== 'string' && typeof id !== 'number') || !this.control.restoreConfig) {
      return cb(
        new SystemError(
          'BAD_REQUEST',
          `configRestore: expected a version id (see configHistory), got ${JSON.stringify(id)}`,
        ),
      );
    }
    this.control.restoreConfig(String(id)).then(
      (result) => cb(null, result),
      (e: Error) => cb(new SystemError('BAD_REQUEST', `configRestore: ${e.message}`)),
    );
  }

  /** The same as `list`, under the name the issue and the UI use. */
  processes(cb: Reply<'processes'>): void {
    this.list(cb);
  }

  restart(name: string, cb: Reply<'restart'>): void {
    this.control.restart(String(name)).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  /** Stop `name`. A web session may not stop `webserver`: its own way in (restart it, or stop it from the CLI). */
  stop(name: string, cb: Reply<'stop'>): void {
    const caller = this.control.currentCaller?.();
    if (String(name) === WEB_SERVER && caller !== undefined && WEB_SESSION.test(caller)) {
      const message =
        `the web server carries this session ("${caller}"): stopping it would lock every browser out until the site ` +
        'restarts; restart it instead, or stop it with `weble-supervisor stop webserver`';
      return cb(new SystemError('SELF_STOP', message));
    }
    this.control.stop(String(name)).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  /** What depends on process `name`: lines a confirmation shows (`[]` when nothing is known). */
  dependents(name: string, cb: Reply<'dependents'>): void {
    this.processOf(String(name))
      .then(() => (this.control.dependents ? this.control.dependents(String(name)) : []))
      .then(
        (lines) => cb(null, lines),
        (error: Error) => cb(error),
      );
  }

  start(name: string, cb: Reply<'start'>): void {
    this.control.start(String(name)).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  /**
   * The last `lines` lines (default 100, at most 1000) of a process's log (its stdout and stderr,
   * and the supervisor's exit notes). New lines come as `log <name>` events `(lines: string[])`.
   */
  logTail(name: string, lines: unknown, cb?: Reply<'logTail'>): void {
    // `logTail(name, cb)`: the count is optional.
    if (typeof lines === 'function' && cb === undefined)
      return this.logTail(name, undefined, lines as Reply<'logTail'>);
    if (typeof cb !== 'function') return;
    const count = lines === undefined || lines === null ? LOG_TAIL_DEFAULT : lines;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > LOG_TAIL_MAX) {
      return cb(
        new SystemError(
          'BAD_REQUEST',
          `logTail lines: expected an integer from 1 to ${LOG_TAIL_MAX}, got ${JSON.stringify(lines)}`,
        ),
      );
    }
    this.logFileOf(String(name)).then(
      (file) => {
        try {
          cb(null, tailFile(file, count));
        } catch (error) {
          cb(new SystemError('NO_LOG', `cannot read the log of ${name}: ${(error as Error).message}`));
        }
      },
      (error: Error) => cb(error),
    );
  }

  private async processOf(name: string): Promise<ProcessInfo & { logFile?: string }> {
    const list = (await this.control.list()) as Array<ProcessInfo & { logFile?: string }>;
    const found = list.find((p) => p.name === name);
    if (!found)
      throw new SystemError(
        'UNKNOWN_PROCESS',
        `no supervised process named ${JSON.stringify(name)} (known: ${list.map((p) => p.name).join(', ') || 'none'})`,
      );
    return found;
  }

  private async logFileOf(name: string): Promise<string> {
    if (this.control.ownLog?.name === name) return this.control.ownLog.file;
    const found = await this.processOf(name);
    if (!found.logFile) throw new SystemError('NO_LOG', `process ${name} has no log file`);
    return found.logFile;
  }

  private onListen(event: string | symbol): void {
    const name = typeof event === 'string' ? LOG_EVENT.exec(event)?.[1] : undefined;
    if (name === undefined || this.followers.has(name)) return;
    // Reserve the slot now; the file is known after a list round trip.
    let stopped = false;
    let stop = (): void => void (stopped = true);
    this.followers.set(name, () => stop());
    this.logFileOf(name).then(
      (file) => {
        if (stopped) return;
        stop = followFile(file, (lines) => this.emit(`log ${name}`, lines));
      },
      () => {}, // an unknown process: nothing to follow, its listeners hear nothing
    );
  }

  private onUnlisten(event: string | symbol): void {
    const name = typeof event === 'string' ? LOG_EVENT.exec(event)?.[1] : undefined;
    if (name === undefined || this.listenerCount(event) > 0) return;
    this.followers.get(name)?.();
    this.followers.delete(name);
  }

  /** How many log files are being followed now (a getter, so not a method on the mesh). */
  get following(): number {
    return this.followers.size;
  }
}
