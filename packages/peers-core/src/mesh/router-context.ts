/** What the call and event routers need of their mesh node. */
import type { RouteTable } from './route-table.js';

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
