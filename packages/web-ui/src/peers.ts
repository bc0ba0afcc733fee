/**
 * The slice of the peers API (seed 000) the UI uses, as the bundle from POST /auth gives it, and
 * the typed views of the modules on `supervision`: `gateways` and `system` from the core modules'
 * API (`@weble/api`, types only: nothing of it is bundled), loggers, audit and access here.
 */
import type { Quality, RemoteGateways, RemoteSystem } from '@weble/api';

export type { Address, Gateway, ProcessInfo, Quality } from '@weble/api';

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

/** The `gateways` module (`@weble/api`). */
export type GatewaysModule = RemoteGateways;

/** The `system` module (`@weble/api`). */
export type SystemModule = RemoteSystem;

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
