/**
 * The one narrow interface between the mesh and the federation layer above it. A federation is
 * given a SitePort, never the Mesh: through it, site links join and leave, the best path to each
 * site is set, messages that came over a site link (their sender checked by the federation) enter
 * the mesh's routing, datagrams addressed to this node are handed over, and the federation's own
 * module is shared. Nothing else of the mesh is reachable from federation/ (eslint boundaries).
 */
import type { Envelope } from '../codec/wire.js';
import type { Link } from '../link/link.js';
import type { ShareFilter } from './module-registry.js';
import type { Settle } from './pending-calls.js';

/** Where datagrams addressed to this node go. */
export type DatagramHandler = (from: string, env: Envelope) => void;

export interface SitePort {
  /** This node's name (the hub's, unqualified). */
  readonly name: string;
  /** Hop limit of messages this node sends. */
  readonly ttl: number;
  /** A site link is up (after its handshake): watched by heartbeats, closed with the mesh. */
  attachSiteLink(link: Link, qualifiedName: string): void;
  /** A site link is gone. */
  detachSiteLink(link: Link): void;
  /** The best path to `site` is now `link` at `hops`; `undefined`: the site is unreachable, for `reason`. */
  setSiteRoute(site: string, link: Link | undefined, hops: number, reason?: string): void;
  /** A routed message from a site link whose sender was checked: delivered here or passed on. */
  ingress(link: Link, env: Envelope, from: string): void;
  /** Datagrams addressed to this node go to `handler` (undefined: they are dropped). */
  onDatagram(handler: DatagramHandler | undefined): void;
  /** Send a datagram to `to` with hop limit `ttl`; false when there is no route. */
  sendDatagram(to: string, ttl: number, body: Buffer): boolean;
  /** Call `module.method(...args)` on peer `to`; `settle` runs exactly once. */
  call(to: string, module: string, method: string, args: unknown[], timeoutMs: number, settle: Settle): void;
  /** Share a module of the federation on this node (its events follow it). */
  share(module: string, object: object, filter: ShareFilter): void;
  /** Stop sharing it. */
  unshare(module: string): void;
  /** Report an error about `peer` to the peers object's error listeners. */
  report(peer: string, error: Error): void;
}
