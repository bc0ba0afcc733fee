/**
 * What a mesh node is created with: its options (name, limits, trust policies, site) and the hooks
 * through which it tells the API layer about peers coming and going and errors.
 */
import type { Authenticate } from './handshake.js';
import type { MayAnnounce, RemoteEmitPolicy } from './trust.js';

export interface MeshOptions {
  name: string;
  meta: Record<string, unknown>;
  token: unknown;
  ttl: number;
  handshakeTimeoutMs: number;
  heartbeatMs: number;
  maxInterestsPerPeer: number;
  authenticate: Authenticate | undefined;
  /** Names an admitted link may announce behind itself (trust.ts); undefined: its own only. */
  mayAnnounce: MayAnnounce | undefined;
  /** Most names an admitted link may announce. */
  maxRoutesPerLink: number;
  /** What a remote emit on this peer's emitter does (trust.ts). */
  remoteEmit: RemoteEmitPolicy;
  /** This hub's site when it federates (docs/federation.md); undefined for every other peer. */
  site: string | undefined;
}

/** What the mesh tells the API layer. */
export interface MeshHooks {
  connect(name: string): void;
  disconnect(name: string): void;
  error(peer: string, error: Error): void;
}
