/**
 * The `system` core module on `supervision`: the host (memory, load, uptime, versions) and the
 * supervised processes (list with state, pid, restarts, uptime and resident memory; restart, stop,
 * start; the tail of a process's log and its new lines as `log <process>` events; `processState`).
 */
import type { Method, Remote, Served } from './module-api.js';
import type { BridgeStatus } from './northbound.js';

/** One supervised process as `system.list` / `system.processes` answer it. */
export interface ProcessInfo {
  name: string;
  kind: 'driver' | 'logic' | 'web' | 'store' | 'northbound';
  state: 'starting' | 'up' | 'stopping' | 'stopped' | 'backoff' | 'failed';
  pid: number | null;
  restarts: number;
  /** ms since the process last became up, or null. */
  uptimeMs: number | null;
  /** resident set size in bytes, or null when not running. */
  rss: number | null;
  /** last stderr lines, for failed processes. */
  lastError?: string[];
  /** A northbound bridge's own status (connection, buffer, rates, last error), when it answered. */
  bridge?: BridgeStatus;
}

/** A version of site.yaml kept by a runtime change (`configHistory`), newest first. */
export interface ConfigVersion {
  id: string;
  /** ms since the epoch. */
  savedAt: number;
  bytes: number;
}

/** What `configRestore` answers: whether the restored site.yaml was loaded, and its problems. */
export interface ConfigRestoreResult {
  ok: boolean;
  problems: string[];
}

/** The methods of the `system` module. */
export interface SystemApi {
  /** Bytes. */
  totalmem: Method<[], [bytes: number]>;
  /** Bytes. */
  freemem: Method<[], [bytes: number]>;
  /** Seconds since the host booted. */
  uptime: Method<[], [seconds: number]>;
  loadavg: Method<[], [loads: number[]]>;
  cpus: Method<[], [cpus: Array<{ model: string; speed: number }>]>;
  /** Node's `process.versions` on the gateway. */
  versions: Method<[], [versions: Record<string, string | undefined>]>;
  list: Method<[], [processes: ProcessInfo[]]>;
  /** The same as `list`. */
  processes: Method<[], [processes: ProcessInfo[]]>;
  restart: Method<[name: string]>;
  /** A web session may not stop `webserver` (`SELF_STOP`). */
  stop: Method<[name: string]>;
  start: Method<[name: string]>;
  /** The last `lines` (default 100, at most 1000) lines of a process's log. */
  logTail: Method<[name: string, lines?: number], [lines: string[]]>;
  configHistory: Method<[], [versions: ConfigVersion[]]>;
  /** Put version `id` (as listed, or 1 for the newest) back as site.yaml and reload the site. */
  configRestore: Method<[id: string | number], [result: ConfigRestoreResult]>;
  /** What stops working while process `name` is down, one line each. */
  dependents: Method<[name: string], [lines: string[]]>;
}

/** The events of the `system` module. */
export interface SystemEvents {
  /** A supervised process changed state. */
  processState: (name: string, state: ProcessInfo['state']) => void;
  /** New lines of a process's log, while someone listens. */
  [log: `log ${string}`]: (lines: string[]) => void;
}

/** What the supervisor's `system` module implements. */
export type ServedSystem = Served<SystemApi>;

/** `await peers('supervision').require('system')`, typed. */
export type RemoteSystem = Remote<SystemApi, SystemEvents>;
