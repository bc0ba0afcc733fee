/**
 * Calls waiting for an answer. Each settles exactly once: with the result, the remote error, a
 * timeout, or at once with PEER_DISCONNECTED when the route to its peer drops.
 */
import { Code, PeersError } from './errors.js';

/** How a pending call is settled. */
export type Settle = (error: Error | null, results: unknown[]) => void;

interface Pending {
  peer: string;
  what: string;
  settle: Settle;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingCalls {
  private nextId = 1;
  private readonly entries = new Map<number, Pending>();
  private readonly byPeer = new Map<string, Set<number>>();

  /** Number of calls waiting. */
  get size(): number {
    return this.entries.size;
  }

  /** Register a call to `peer` described as `what` (`gateways.writeValue`); returns its id. */
  add(peer: string, what: string, timeoutMs: number, settle: Settle): number {
    const id = this.nextId;
    this.nextId = id >= 0x7fffffff ? 1 : id + 1;
    const timer = setTimeout(() => {
      this.settle(id, new PeersError(Code.TIMEOUT, `${what} on peer "${peer}" got no answer within ${timeoutMs} ms`), []);
    }, timeoutMs);
    this.entries.set(id, { peer, what, settle, timer });
    let ids = this.byPeer.get(peer);
    if (!ids) this.byPeer.set(peer, (ids = new Set()));
    ids.add(id);
    return id;
  }

  /**
   * Settle one call; returns false when it was already settled (a late or duplicate answer) or
   * when `from` is given and is not the peer the call went to (nobody answers for another peer).
   */
  settle(id: number, error: Error | null, results: unknown[], from?: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || (from !== undefined && from !== entry.peer)) return false;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    const ids = this.byPeer.get(entry.peer);
    if (ids) {
      ids.delete(id);
      if (ids.size === 0) this.byPeer.delete(entry.peer);
    }
    entry.settle(error, results);
    return true;
  }

  /** The peer is gone: fail each of its calls with PEER_DISCONNECTED (or `code`). */
  failPeer(peer: string, reason: string, code: PeersError['code'] = Code.PEER_DISCONNECTED): void {
    const ids = this.byPeer.get(peer);
    if (!ids) return;
    for (const id of [...ids]) {
      const entry = this.entries.get(id);
      if (entry) this.settle(id, new PeersError(code, `${entry.what} on peer "${peer}" failed: ${reason}`), []);
    }
  }

  /** Fail every call (the peers object is closing). */
  failAll(reason: string, code: PeersError['code']): void {
    for (const peer of [...this.byPeer.keys()]) this.failPeer(peer, reason, code);
  }
}
