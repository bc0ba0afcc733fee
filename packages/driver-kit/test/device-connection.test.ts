import { exponentialBackoff } from '@weble/peers-core';
import { describe, expect, it } from 'vitest';
import {
  DeviceConnection,
  attemptAfterSession,
  type DeviceConnectionOptions,
  type Session,
} from '../src/device-connection.js';
import type { DeviceState } from '../src/definition.js';
import { waitUntil } from '../src/testing/wait.js';

interface Harness {
  connection: DeviceConnection<{ n: number }>;
  states: Array<[DeviceState, string | undefined]>;
  delays: number[];
  sessions: Session[];
  online: Array<{ n: number }>;
  disconnected: Array<{ n: number }>;
}

/** A connection whose connect fails `failures` times, with instant delays recorded. */
function harness(failures: number, overrides: Partial<DeviceConnectionOptions<{ n: number }>> = {}): Harness {
  const h: Omit<Harness, 'connection'> = { states: [], delays: [], sessions: [], online: [], disconnected: [] };
  let attempts = 0;
  const connection = new DeviceConnection<{ n: number }>({
    connect: async (session) => {
      h.sessions.push(session);
      attempts++;
      if (attempts <= failures) throw new Error(`refused ${attempts}`);
      return { n: attempts };
    },
    disconnect: async (device) => void h.disconnected.push(device),
    backoff: exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 1_000, jitter: 0 }),
    stableMs: 10_000,
    connectTimeoutMs: 1_000,
    onState: (state, detail) => void h.states.push([state, detail]),
    onOnline: (device) => void h.online.push(device),
    onDisconnectError: () => undefined,
    delay: async (ms) => void h.delays.push(ms),
    now: () => 0,
    ...overrides,
  });
  return { ...h, connection };
}

describe('DeviceConnection', () => {
  it('retries a failing connect with exponential backoff and reports each state', async () => {
    const h = harness(3);
    h.connection.start();
    await waitUntil(() => h.online.length === 1);
    expect(h.delays).toEqual([100, 200, 400]);
    expect(h.states).toEqual([
      ['connecting', undefined],
      ['offline', 'connect failed: refused 1; retry in 100 ms'],
      ['connecting', 'attempt 2'],
      ['offline', 'connect failed: refused 2; retry in 200 ms'],
      ['connecting', 'attempt 3'],
      ['offline', 'connect failed: refused 3; retry in 400 ms'],
      ['connecting', 'attempt 4'],
      ['online', undefined],
    ]);
    expect(h.connection.device).toEqual({ n: 4 });
    await h.connection.stop();
    expect(h.disconnected).toEqual([{ n: 4 }]);
    expect(h.connection.device).toBeUndefined();
  });

  it('reconnects after a lost connection; the backoff restarts only after a stable session', async () => {
    let clock = 0;
    const h = harness(1, { now: () => clock, stableMs: 1_000 });
    h.connection.start();
    await waitUntil(() => h.online.length === 1);
    h.sessions[1]!.lost(new Error('socket closed')); // up 0 ms: not stable, attempt stays at 1
    await waitUntil(() => h.online.length === 2);
    expect(h.disconnected).toEqual([{ n: 2 }]);
    expect(h.states.slice(-3)).toEqual([
      ['offline', 'connection lost: socket closed; retry in 200 ms'],
      ['connecting', 'attempt 3'],
      ['online', undefined],
    ]);
    expect(h.sessions[1]!.signal.aborted).toBe(true);
    clock += 5_000; // this session was stable: the next retry starts from the first delay
    h.connection.lost(new Error('reset'));
    await waitUntil(() => h.online.length === 3);
    expect(h.delays.at(-1)).toBe(100);
    h.sessions[1]!.lost(new Error('stale session')); // an ended session cannot end the current one
    expect(h.connection.device).toEqual({ n: 4 });
    await h.connection.stop();
  });

  it('fails a connect that takes too long and disconnects the device if it arrives later', async () => {
    let release: ((device: { n: number }) => void) | undefined;
    const h = harness(0, {
      connectTimeoutMs: 20,
      connect: (session) => {
        h.sessions.push(session);
        return h.sessions.length === 1 ? new Promise((resolve) => (release = resolve)) : Promise.resolve({ n: 2 });
      },
    });
    h.connection.start();
    await waitUntil(() => h.online.length === 1);
    expect(h.states[1]).toEqual(['offline', 'connect failed: connect timed out after 20 ms; retry in 100 ms']);
    expect(h.sessions[0]!.signal.aborted).toBe(true);
    release!({ n: 1 });
    await waitUntil(() => h.disconnected.length === 1);
    expect(h.disconnected).toEqual([{ n: 1 }]);
    await h.connection.stop();
  });

  it('stops while a connect is pending, without waiting for it', async () => {
    const h = harness(0, { connect: (session) => (h.sessions.push(session), new Promise(() => undefined)) });
    h.connection.start();
    await waitUntil(() => h.sessions.length === 1);
    await h.connection.stop();
    expect(h.sessions[0]!.signal.aborted).toBe(true);
    expect(h.states).toEqual([['connecting', undefined]]);
  });

  it('stops while waiting to retry', async () => {
    const h = harness(Infinity, {
      delay: (ms, signal) =>
        new Promise((resolve) => (h.delays.push(ms), signal.addEventListener('abort', () => resolve()))),
    });
    h.connection.start();
    await waitUntil(() => h.delays.length === 1);
    await h.connection.stop();
    expect(h.states.map(([state]) => state)).toEqual(['connecting', 'offline']);
  });
});

describe('attemptAfterSession', () => {
  it('keeps the attempt count after a short session and resets it after a stable one', () => {
    expect(attemptAfterSession(4, 999, 1_000)).toBe(4);
    expect(attemptAfterSession(4, 1_000, 1_000)).toBe(0);
  });
});
