/**
 * The slice of the peers API (seed 000) the UI uses, as the bundle from POST /auth gives it, and
 * the typed views of the modules on `supervision` (`gateways`, `system`, `loggers`, `audit`,
 * `access`; `alarms` in alarm-types.ts) from the core modules' API (`@weble/api`, types only:
 * nothing of it is bundled).
 */
import type { RemoteAccess, RemoteAudit, RemoteGateways, RemoteLoggers, RemoteSystem } from '@weble/api';

export type {
  Address,
  AuditEntry,
  AuditFilter,
  Gateway,
  HistorySeries,
  LoggerListing,
  ProcessInfo,
  Quality,
} from '@weble/api';

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

/** The `loggers` module (`@weble/api`). */
export type LoggersModule = RemoteLoggers;

/** The `gateways` module (`@weble/api`). */
export type GatewaysModule = RemoteGateways;

/** The `system` module (`@weble/api`). */
export type SystemModule = RemoteSystem;

/** The `audit` module (`@weble/api`; admins only). */
export type AuditModule = RemoteAudit;

/** The `access` module (`@weble/api`): who the gateway takes this session for. */
export type AccessModule = RemoteAccess;
