/**
 * Calls waiting for an answer. Each settles exactly once: with the result, the remote error, a
 * timeout, or at once with PEER_DISCONNECTED when the route to its peer drops.
 *
 * Timeouts do not arm a timer per call: calls with the same timeout sit in one lane in deadline
 * order, and a single timer fires at the earliest deadline of all lanes.
 */
import { Code, PeersError } from '../errors.js';

/** How a pending call is settled. */
export type Settle = (error: Error | null, results: unknown[]) => void;

interface Pending {
  id: number;
  peer: string;
  /** Module and method; `method` is undefined for a require. Joined only for error messages. */
  module: string;
  method: string | undefined;
  settle: Settle;
  deadline: number;
  timeoutMs: number;
}

export class PendingCalls {
  private nextId = 1;
  private readonly entries = new Map<number, Pending>();
  /** timeoutMs -> calls in deadline order (insertion order of a Map). */
  private readonly lanes = new Map<number, Map<number, Pending>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  /** Number of calls waiting. */
  get size(): number {
    return this.entries.size;
  }

  /** Register a call of `module.method` (a require when `method` is undefined) to `peer`; returns its id. */
  add(peer: string, module: string, method: string | undefined, timeoutMs: number, settle: Settle): number {
    const id = this.nextId;
    this.nextId = id >= 0x7fffffff ? 1 : id + 1;
    const deadline = Date.now() + timeoutMs;
    const entry: Pending = { id, peer, module, method, settle, deadline, timeoutMs };
    this.entries.set(id, entry);
    let lane = this.lanes.get(timeoutMs);
    if (!lane) this.lanes.set(timeoutMs, (lane = new Map()));
    lane.set(id, entry);
    if (deadline < this.timerAt) this.arm(deadline);
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
    const lane = this.lanes.get(entry.timeoutMs)!;
    lane.delete(id);
    if (lane.size === 0) this.lanes.delete(entry.timeoutMs);
    // The timer is left armed when nothing waits: re-arming it for every call of a sequential
    // caller costs more than one wasted wake-up at the old deadline.
    entry.settle(error, results);
    return true;
  }

  /** The peer is gone: fail each of its calls with PEER_DISCONNECTED (or `code`). */
  failPeer(peer: string, reason: string, code: PeersError['code'] = Code.PEER_DISCONNECTED): void {
    this.failWhere((entry) => entry.peer === peer, reason, code);
  }

  /** Site `site` became unreachable: fail every call to a peer `x@site`. */
  failSite(site: string, reason: string): void {
    const suffix = `@${site}`;
    this.failWhere((entry) => entry.peer.endsWith(suffix), reason, Code.PEER_DISCONNECTED);
  }

  /** Fail every call (the peers object is closing). */
  failAll(reason: string, code: PeersError['code']): void {
    this.failWhere(() => true, reason, code);
  }

  /** Losing a peer is rare next to calls, so it scans instead of keeping a per-peer index. */
  private failWhere(match: (entry: Pending) => boolean, reason: string, code: PeersError['code']): void {
    for (const entry of [...this.entries.values()]) {
      if (match(entry))
        this.settle(entry.id, new PeersError(code, `${describe(entry)} on peer "${entry.peer}" failed: ${reason}`), []);
    }
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now()));
    // Pending calls never keep a process alive by themselves (their links do).
    this.timer.unref?.(); // absent in browsers, where timers are numbers
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    const expired: Pending[] = [];
    let next = Infinity;
    for (const lane of this.lanes.values()) {
      for (const entry of lane.values()) {
        if (entry.deadline > now) {
          next = Math.min(next, entry.deadline);
          break;
        }
        expired.push(entry);
      }
    }
    for (const e of expired) {
      this.settle(
        e.id,
        new PeersError(Code.TIMEOUT, `${describe(e)} on peer "${e.peer}" got no answer within ${e.timeoutMs} ms`),
        [],
      );
    }
    if (next !== Infinity && this.entries.size > 0 && next < this.timerAt) this.arm(next);
  }
}

function describe(entry: Pending): string {
  return entry.method === undefined ? `require("${entry.module}")` : `${entry.module}.${entry.method}`;
}
