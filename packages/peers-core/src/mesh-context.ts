/** What the call and event routers need of their mesh node, and the logger every part takes. */
import type { RouteTable } from './routes.js';

/** Minimal structured logger (pino-compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MeshContext {
  readonly name: string;
  readonly ttl: number;
  readonly maxInterestsPerPeer: number;
  readonly routes: RouteTable;
  /** Whether this node is a federated hub: it withdraws its departed peers' interests in other sites. */
  readonly federated: boolean;
  /** Report an error about `peer` (the API layer emits it or logs it). */
  report(peer: string, error: Error): void;
}
