/** Test helpers: temp socket paths, raw protocol clients, waiting for events with a timeout. */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from '../src/codec/messagepack.js';
import { FrameDecoder } from '../src/codec/frame-decoder.js';
import { PROTOCOL_VERSION, MessageType, readEnvelope, writeHeader, type Envelope } from '../src/codec/wire.js';
import { waitUntil } from '../src/testing.js';

/** A fresh temp dir; remove it with the returned function. */
export function tempDir(): { dir: string; sock: (name?: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peers-test-'));
  return {
    dir,
    sock: (name = 'hub') => join(dir, `${name}.sock`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export { waitFor } from '../src/testing.js';

/** Poll a condition (for state with no event) every turn of the event loop, failing after `ms`. */
export const until = (condition: () => boolean, ms = 5000, what = 'condition'): Promise<void> =>
  waitUntil(condition, { timeoutMs: ms, intervalMs: 0, what });

/** A protocol client on a raw socket, to send what a well-behaved peer never would. */
export class RawClient {
  readonly socket: net.Socket;
  readonly received: Array<Envelope & { decoded: unknown }> = [];
  closed = false;
  private readonly decoder = new FrameDecoder();
  private waiters: Array<() => void> = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      for (const frame of this.decoder.push(chunk)) {
        const env = readEnvelope(frame);
        let decoded: unknown;
        try {
          decoded = env.end > env.bodyStart ? decode(env.src, env.bodyStart, env.end) : undefined;
        } catch {
          decoded = undefined;
        }
        this.received.push({ ...env, decoded });
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ path });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  send(type: MessageType, to: string, from: string, topic: string, body?: unknown, ttl = 8): void {
    const bytes = body === undefined ? Buffer.alloc(0) : encode(body);
    this.socket.write(Buffer.concat([writeHeader(type, ttl, to, from, topic, bytes.length), bytes]));
  }

  hello(name: string, version: unknown = PROTOCOL_VERSION): void {
    this.send(MessageType.HELLO, '', '', '', { v: version, name, meta: {} });
  }

  /** Wait until a received message matches, or the socket closes (then resolves undefined). */
  async next(
    match: (m: Envelope & { decoded: unknown }) => boolean,
    ms = 5000,
  ): Promise<(Envelope & { decoded: unknown }) | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (this.closed) return undefined;
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async whenClosed(ms = 5000): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket not closed in time')), ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export { MessageType };
