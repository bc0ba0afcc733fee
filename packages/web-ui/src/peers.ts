/**
 * The slice of the peers API (seed 000) the UI uses, as the bundle from POST /auth gives it, and
 * the typed views of the core modules `gateways` and `system` on `supervision`.
 */
import type { PointInfo } from './value-type.js';

export type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A remote module proxy: methods return a Promise of their first result when given no callback. */
export interface ModuleProxy {
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
}

export interface RemotePeer {
  require<T extends ModuleProxy>(module: string): Promise<T>;
  isConnected(): boolean;
}

/** The peers object: `peers('supervision')` and connection events. */
export interface Peers {
  (name: string): RemotePeer;
  on(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  disconnect(): void;
  removeAllListeners(): unknown;
  close(): Promise<void>;
}

/** A gateway as `gateways.listGateways` answers it. */
export interface Gateway {
  id: number | string;
  type: string;
  name?: string;
  enabled: boolean;
  state: string;
}

/** An address as `gateways.listAddresses` answers it. */
export interface Address {
  key: string;
  gateway: number | string;
  name?: string;
  alias?: string;
  unit?: string;
  point: Record<string, unknown>;
  /** What the gateway knows of the point: writable, limits, unit, state texts (absent from older gateways). */
  info?: PointInfo;
  last: { value: unknown; valueString: string; date: string | Date; quality?: Quality; reason?: string } | null;
}

/** The quality of a value (the supervisor's `valueQuality <key>` events and `last.quality`). */
export type Quality = 'good' | 'stale' | 'bad' | 'uncertain';

/** One address's history as `loggers.history` answers it: points are `[timeMs, value, quality?]`. */
export interface HistorySeries {
  key: string;
  from: number;
  to: number;
  points: Array<[number, unknown, Quality?]>;
}

/** A logger as `loggers.listLoggers` answers it (the site.yaml entry, defaults filled in, and the keys it records). */
export interface LoggerInfo {
  name: string;
  addresses: string[];
  onChange: false | { deadband?: number; deadbandPercent?: number; minIntervalMs?: number };
  sampleMs?: number;
  retention: { days?: number; megabytes?: number };
  enabled: boolean;
  keys: string[];
}

/** The `loggers` module (history and loggers). */
export interface LoggersModule extends ModuleProxy {
  listLoggers(): Promise<LoggerInfo[]>;
  insertLogger(logger: Omit<LoggerInfo, 'keys'>): Promise<void>;
  updateLogger(logger: Omit<LoggerInfo, 'keys'>): Promise<void>;
  deleteLogger(name: string): Promise<void>;
  history(addresses: string[], options: { from: number; to: number; maxPoints: number }): Promise<HistorySeries[]>;
  history(address: string, options: { from: number; to: number; maxPoints: number }): Promise<HistorySeries>;
  exportCsv(address: string | string[], options: { from: number; to: number }): Promise<string>;
}

/** A supervised process as `system.processes` answers it. */
export interface ProcessInfo {
  name: string;
  kind: 'driver' | 'logic' | 'web' | 'store';
  state: string;
  pid: number | null;
  restarts: number;
  uptimeMs: number | null;
  rss: number | null;
  lastError?: string[];
}

export interface GatewaysModule extends ModuleProxy {
  listGateways(): Promise<Gateway[]>;
  listAddresses(): Promise<Address[]>;
  writeValue(key: string, value: unknown): Promise<unknown>;
}

export interface SystemModule extends ModuleProxy {
  processes(): Promise<ProcessInfo[]>;
  /** What stops working while process `name` is down, one line each. */
  dependents(name: string): Promise<string[]>;
  restart(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
  logTail(name: string, lines: number): Promise<string[]>;
}

/** One entry of the audit trail (`audit.query`). */
export interface AuditEntry {
  id: number;
  at: number;
  user: string;
  peer: string;
  role: string | null;
  action: 'write' | 'process' | 'config' | 'login' | 'alarm-ack';
  target: string;
  detail?: unknown;
  result: string;
  message?: string;
}

/** Filters of `audit.query` and `audit.exportCsv`. */
export interface AuditFilter {
  from?: number;
  to?: number;
  user?: string;
  action?: AuditEntry['action'];
  limit?: number;
}

/** The `audit` module (admins only). */
export interface AuditModule extends ModuleProxy {
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  exportCsv(filter: AuditFilter): Promise<string>;
}

/** The `access` module: who the gateway takes this session for. */
export interface AccessModule extends ModuleProxy {
  whoami(): Promise<{ peer: string; kind: string; user?: string; role?: 'viewer' | 'operator' | 'admin' | null }>;
}
