/**
 * The hub of the bad-input tests (bad-input*.test.ts): a `supervision` peer on a fresh UNIX socket
 * with small frame and buffer limits and no heartbeat, sharing an `echo` module, its errors
 * collected; raw and real clients that are closed after each test. `useBadInputHub()` registers
 * the hooks; `hub`, `path` and `errors` are live bindings to the current test's.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { createPeers, type Peers } from '../src/create-peers.js';
import { RawClient, MessageType, tempDir, until, waitFor } from './helpers.js';

export const silent = { debug() {}, warn() {}, error() {} };

export let tmp: ReturnType<typeof tempDir>;
export let hub: Peers;
export let path: string;
export const errors: Array<{ peer: string; error: Error & { code?: string } }> = [];
export const cleanup: Array<() => unknown> = [];

/** A real peer joined to the hub. */
export async function client(name: string, options = {}): Promise<Peers> {
  const peers = createPeers(name, { logger: silent, ...options });
  cleanup.push(() => peers.close());
  peers.connect(path);
  await waitFor(peers, 'connect supervision');
  return peers;
}

/** A raw client past the handshake as `name`. */
export async function handshaken(name: string): Promise<RawClient> {
  const raw = await RawClient.connect(path);
  cleanup.push(() => raw.destroy());
  raw.hello(name);
  const welcome = await raw.next((m) => m.type === MessageType.WELCOME);
  expect(welcome).toBeDefined();
  await until(() => hub.connectedPeers().includes(name), 5000, `${name} joined`);
  return raw;
}

/** The hub still answers a well-behaved peer. */
export async function hubServes(): Promise<void> {
  const probe = await client(`probe_${Math.random().toString(36).slice(2, 8)}`);
  const echo = await probe('supervision').require('echo');
  expect(await (echo.say as (x: string) => Promise<string>)('still up')).toBe('still up');
}

/** A fresh hub before each test of the calling file, everything closed after it. */
export function useBadInputHub(): void {
  beforeEach(async () => {
    tmp = tempDir();
    path = tmp.sock();
    errors.length = 0;
    hub = createPeers('supervision', {
      logger: silent,
      maxFrameBytes: 64 * 1024,
      maxBufferedBytes: 256 * 1024,
      heartbeatMs: 0,
    });
    hub.on('error', (peer: string, error: Error) => errors.push({ peer, error }));
    hub.share('echo', {
      say(x: unknown, cb: (e: Error | null, r?: unknown) => void) {
        cb(null, x);
      },
    });
    await hub.listen(path);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await hub.close();
    tmp.remove();
  });
}
