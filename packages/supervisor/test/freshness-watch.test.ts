/**
 * The staleness check's decisions alone (the real path, a SIGSTOPped Modbus driver, is
 * test/drivers/value-freshness.test.ts): the hub here is a table of qualities and a driver that
 * answers `refreshed` from a table of read times, on vitest's fake clock. A driver that answers an
 * old read time, one that does not answer, one whose answer comes late, and an address read again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FreshnessWatch, notRefreshedReason, staleAfterMs } from '../src/modules/freshness-watch.js';
import type { Quality } from '../src/modules/value-quality.js';

let qualities: Map<string, { quality: Quality; reason?: string | undefined }>;
let readTimes: Map<string, number>;
let answering: boolean;
let asked: string[][];
let unanswered: string[][];
let pending: Array<() => void>;
let refusing: boolean;
let watch: FreshnessWatch;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  qualities = new Map([
    ['a', { quality: 'good' }],
    ['b', { quality: 'good' }],
  ]);
  readTimes = new Map();
  answering = true;
  asked = [];
  unanswered = [];
  pending = [];
  refusing = false;
  watch = new FreshnessWatch({
    ask: (_gateway, keys) => {
      asked.push(keys);
      if (refusing)
        return Promise.reject(Object.assign(new Error('no method refreshed'), { code: 'PEERS_UNKNOWN_METHOD' }));
      return new Promise((resolve) => {
        const answer = (): void => resolve(keys.map((k) => readTimes.get(k) ?? null));
        if (answering) answer();
        else pending.push(answer);
      });
    },
    quality: (key) => qualities.get(key),
    setQuality: (key, quality, reason) => void qualities.set(key, { quality, reason }),
    unanswered: (_gateway, keys) => void unanswered.push(keys),
  });
});
afterEach(() => {
  watch.close();
  vi.useRealTimers();
});

describe('stale when not refreshed', () => {
  it('is 3 read periods, at least 1 s', () => {
    expect(staleAfterMs(100)).toBe(1_000);
    expect(staleAfterMs(5_000)).toBe(15_000);
  });

  it('asks the driver at the deadline; a recent read keeps the address good, an old one makes it stale', async () => {
    watch.watch('a', '1', 500);
    watch.watch('b', '1', 500);
    readTimes.set('a', Date.now() + 1_400);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(asked).toEqual([['a', 'b']]);
    expect(qualities.get('a')).toEqual({ quality: 'good' });
    expect(qualities.get('b')).toEqual({ quality: 'stale', reason: notRefreshedReason(500) });
    // b is asked about every period until it is read again; a at its own deadline (its read + 1.5 s).
    await vi.advanceTimersByTimeAsync(500);
    expect(asked.at(-1)).toEqual(['b']);
    readTimes.set('b', Date.now());
    await vi.advanceTimersByTimeAsync(500);
    expect(qualities.get('b')).toEqual({ quality: 'good', reason: undefined });
  });

  it('makes it stale when the driver does not answer in time, and good when the late answer says it was read since', async () => {
    watch.watch('a', '1', 100);
    answering = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked).toEqual([['a']]);
    expect(qualities.get('a')?.quality).toBe('good');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(unanswered).toEqual([['a']]);
    expect(qualities.get('a')).toEqual({
      quality: 'stale',
      reason: 'not refreshed within 1000 ms (read every 100 ms)',
    });
    // One question at a time: nothing more is asked while it is pending.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(asked).toHaveLength(1);
    readTimes.set('a', Date.now());
    answering = true;
    pending.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(qualities.get('a')?.quality).toBe('good');
  });

  it('leaves addresses that are not good for another reason to their driver, and a new value resets the deadline', async () => {
    watch.watch('a', '1', 500);
    watch.watch('b', '1', 500);
    qualities.set('b', { quality: 'stale', reason: 'gateway 1 offline' });
    await vi.advanceTimersByTimeAsync(1_000);
    watch.fresh('a', Date.now());
    await vi.advanceTimersByTimeAsync(600);
    expect(asked).toEqual([]);
    expect(qualities.get('b')).toEqual({ quality: 'stale', reason: 'gateway 1 offline' });
    watch.unwatch('a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asked).toEqual([]);
  });

  it('asks a driver that refuses the question (no refreshed method) once a window, not in a loop, and leaves the address good', async () => {
    refusing = true;
    watch.watch('a', '1', 100);
    await vi.advanceTimersByTimeAsync(3_500);
    expect(asked).toHaveLength(3);
    expect(qualities.get('a')).toEqual({ quality: 'good' });
  });
});
