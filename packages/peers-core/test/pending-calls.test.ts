import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Code } from '../src/errors.js';
import { PendingCalls } from '../src/mesh/pending-calls.js';

describe('PendingCalls', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('settles each call exactly once, in any order, across timeout lanes', () => {
    const calls = new PendingCalls();
    const seen: Array<[string, string | null]> = [];
    const record = (name: string) => (error: Error | null) =>
      seen.push([name, (error as { code?: string } | null)?.code ?? null]);
    const a = calls.add('p', 'm', 'a', 1000, record('a'));
    calls.add('p', 'm', 'b', 100, record('b'));
    calls.add('q', 'm', 'c', 500, record('c'));
    calls.add('q', 'm', 'd', 100, record('d'));
    expect(calls.settle(a, null, [])).toBe(true);
    expect(calls.settle(a, null, [])).toBe(false);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([
      ['a', null],
      ['b', Code.TIMEOUT],
      ['d', Code.TIMEOUT],
    ]);
    vi.advanceTimersByTime(400);
    expect(seen.at(-1)).toEqual(['c', Code.TIMEOUT]);
    expect(calls.size).toBe(0);
  });

  it('refuses an answer from a peer the call did not go to', () => {
    const calls = new PendingCalls();
    let settled = 0;
    const id = calls.add('server', 'm', 'f', 1000, () => settled++);
    expect(calls.settle(id, null, [], 'mallory')).toBe(false);
    expect(calls.settle(id, null, [], 'server')).toBe(true);
    expect(settled).toBe(1);
  });

  it('fails every call of a lost peer at once with PEER_DISCONNECTED, naming the call', () => {
    const calls = new PendingCalls();
    const errors: Error[] = [];
    calls.add('gone', 'gateways', 'writeValue', 30_000, (e: Error | null) => errors.push(e!));
    calls.add('gone', 'system', 'totalmem', 30_000, (e: Error | null) => errors.push(e!));
    calls.add('stays', 'x', 'y', 30_000, (e: Error | null) => errors.push(e!));
    calls.failPeer('gone', 'link closed');
    expect(errors.map((e) => [(e as { code?: string }).code, e.message])).toEqual([
      [Code.PEER_DISCONNECTED, 'gateways.writeValue on peer "gone" failed: link closed'],
      [Code.PEER_DISCONNECTED, 'system.totalmem on peer "gone" failed: link closed'],
    ]);
    expect(calls.size).toBe(1);
  });

  it('a later call with a shorter timeout fires first', () => {
    const calls = new PendingCalls();
    const order: string[] = [];
    calls.add('p', 'm', 'long', 1000, () => order.push('long'));
    calls.add('p', 'm', 'short', 10, () => order.push('short'));
    vi.advanceTimersByTime(10);
    expect(order).toEqual(['short']);
    vi.advanceTimersByTime(990);
    expect(order).toEqual(['short', 'long']);
  });
});
