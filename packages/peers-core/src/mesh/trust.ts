/**
 * Who may say what on the mesh (docs/protocol.md, "Trust"): which names a link may announce
 * behind itself, and what a remote peer's `emit` on this peer's emitter does. Policies are small
 * functions given by the owner in the options; the defaults speak for nobody else.
 */
import type { Hello } from './handshake.js';

/**
 * Which names a link this peer admitted may announce behind itself (it is a hub: a web server with
 * its browser sessions, say), besides its own name. Asked once per announced name, not per
 * message. Default: none, so a link speaks only for the name of its hello.
 */
export type MayAnnounce = (hello: Hello, name: string) => boolean;

/**
 * What a remote `peers(thisPeer).emit(event, ...args)` does here, decided per event:
 * - `'local'` (default): this process's own listeners of `peerEvents()` run; peers subscribed to
 *   the event are not told, so nobody sees it as if this peer had emitted it;
 * - `'forward'`: as if this peer had emitted it: remote subscribers get it too;
 * - `'refuse'`: dropped, and reported as a `PEERS_EMIT_REFUSED` error naming the sender.
 */
export type RemoteEmitPolicy = (from: string, event: string) => 'local' | 'forward' | 'refuse';

/** Default most names one admitted link may announce behind itself. */
export const DEFAULT_MAX_ROUTES_PER_LINK = 1_000;

/** What one link may announce: decided at admission, asked for every announced name. */
export interface Entitlement {
  /** Whether the link may announce `name` behind itself. */
  allows(name: string): boolean;
  /** Most names announced through the link at once (its own included). */
  readonly maxRoutes: number;
}

/** A link this peer dialed (its hub): it speaks for the names behind it. */
export const UPSTREAM: Entitlement = { allows: () => true, maxRoutes: Number.POSITIVE_INFINITY };

/** The entitlement of a link admitted with `hello`. */
export function admittedLink(hello: Hello, mayAnnounce: MayAnnounce | undefined, maxRoutes: number): Entitlement {
  return {
    allows: (name) => name === hello.name || (mayAnnounce !== undefined && mayAnnounce(hello, name)),
    maxRoutes,
  };
}

/** Default remote-emit policy: the owner's own listeners only. */
export const localOnly: RemoteEmitPolicy = () => 'local';
