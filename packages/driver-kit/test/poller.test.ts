import { describe, expect, it } from 'vitest';
import { pollLoop } from '../src/poller.js';

describe('pollLoop', () => {
  it('reads everything once, then the polled addresses at a fixed rate, until aborted', async () => {
    const abort = new AbortController();
    const reads: string[] = [];
    const waits: number[] = [];
    let clock = 0;
    let cycles = 0;
    await pollLoop({
      all: ['a', 'b', 'c'],
      polled: ['b'],
      periodMs: 100,
      signal: abort.signal,
      now: () => clock,
      read: async (key) => {
        reads.push(key);
        clock += 30; // each read takes 30 ms
      },
      onCycle: () => {
        if (++cycles === 3) abort.abort();
      },
      delay: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    expect(reads).toEqual(['a', 'b', 'c', 'b', 'b']);
    expect(waits).toEqual([10, 70]); // fixed rate: 100 ms from the start of the previous cycle
  });

  it('starts an overrunning cycle at once, never two at a time', async () => {
    const abort = new AbortController();
    let clock = 0;
    let cycles = 0;
    const waits: number[] = [];
    await pollLoop({
      all: [],
      polled: ['slow'],
      periodMs: 50,
      signal: abort.signal,
      now: () => clock,
      read: async () => void (clock += 120),
      onCycle: () => void (++cycles === 3 && abort.abort()),
      delay: async (ms) => void waits.push(ms),
    });
    expect(cycles).toBe(3);
    expect(waits).toEqual([50]); // only before the first poll: the empty full read took no time
  });

  it('stops after the first full read without a period or polled addresses', async () => {
    const reads: string[] = [];
    const signal = new AbortController().signal;
    await pollLoop({ all: ['a'], polled: [], periodMs: 10, signal, read: async (k) => void reads.push(k) });
    await pollLoop({ all: ['a'], polled: ['a'], periodMs: undefined, signal, read: async (k) => void reads.push(k) });
    expect(reads).toEqual(['a', 'a']);
  });
});
