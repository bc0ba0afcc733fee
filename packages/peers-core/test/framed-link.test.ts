/**
 * The contract of a framed link, run over both byte channels on real sockets: a stream channel (a
 * UNIX socket) and a message channel (a ws WebSocket, with its raw socket counted in the budget).
 * The one documented difference, the largest write, is asserted from the channel's own number.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { frameHeader } from '../src/codec/frame-decoder.js';
import { Code, type PeersError } from '../src/errors.js';
import type { ByteChannel } from '../src/link/byte-channel.js';
import { FrameBudget } from '../src/link/frame-budget.js';
import { FramedLink } from '../src/link/framed-link.js';
import type { LinkLimits } from '../src/link/link.js';
import { MessageChannel, maxPayloadFor, type SocketLike } from '../src/link/message-channel.js';
import { StreamChannel } from '../src/link/stream-channel.js';
import { tempDir, until } from './helpers.js';

/** Two connected channels, the raw sides of the far one, and how to tear it all down. */
interface Pair {
  near: ByteChannel;
  far: ByteChannel;
  /** Bytes written straight onto the far end's socket, under any framing. */
  sendRaw(bytes: Buffer): void;
  /** The far end stops reading from its socket. */
  stopReading(): void;
  /** The far end starts a message or frame of `declared` bytes and sends only `bytes` of it. */
  sendUnfinished(declared: number, bytes: number): void;
  /** The far end's socket is destroyed without a goodbye. */
  kill(): void;
  close(): Promise<void>;
}

const LIMITS = { maxFrameBytes: 64 * 1024, maxBufferedBytes: 256 * 1024 };

async function streamPair(): Promise<Pair> {
  const tmp = tempDir();
  let onConnection!: (socket: net.Socket) => void;
  const accepted = new Promise<net.Socket>((resolve) => (onConnection = resolve));
  const server = net.createServer((socket) => onConnection(socket));
  await new Promise<void>((resolve) => server.listen(tmp.sock(), resolve));
  const far = net.connect({ path: tmp.sock() });
  await new Promise((resolve) => far.once('connect', resolve));
  const near = await accepted;
  return {
    near: new StreamChannel(near, 'unix', 'unix:near'),
    far: new StreamChannel(far, 'unix', 'unix:far'),
    sendRaw: (bytes) => far.write(bytes),
    sendUnfinished: (declared, bytes) => far.write(Buffer.concat([frameHeader(declared), payload(bytes, 5)])),
    stopReading: () => far.pause(),
    kill: () => far.destroy(),
    close: async () => {
      near.destroy();
      far.destroy();
      await new Promise((resolve) => server.close(resolve));
      tmp.remove();
    },
  };
}

async function messagePair(limits: LinkLimits): Promise<Pair> {
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    maxPayload: maxPayloadFor(limits),
    perMessageDeflate: false,
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<[WebSocket, net.Socket]>((resolve) =>
    server.once('connection', (socket, request) => resolve([socket, request.socket])),
  );
  const far = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    maxPayload: maxPayloadFor(limits),
    perMessageDeflate: false,
  });
  await new Promise((resolve) => far.once('open', resolve));
  const [near, raw] = await accepted;
  return {
    near: new MessageChannel(near as unknown as SocketLike, 'ws:near', limits, raw),
    far: new MessageChannel(far as unknown as SocketLike, 'ws:far', limits),
    sendRaw: (bytes) => far.send(bytes, { binary: true }),
    sendUnfinished: (declared, bytes) => {
      // A masked binary WebSocket frame (mask 0: the payload as is) of which only part is written.
      const head = Buffer.from([0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      head.writeUInt32BE(declared + 4, 6);
      const tcp = (far as unknown as { _socket: net.Socket })._socket;
      tcp.write(Buffer.concat([head, frameHeader(declared), payload(bytes, 5)]));
    },
    stopReading: () => far.pause(),
    kill: () => far.terminate(),
    close: async () => {
      near.terminate();
      far.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A link that records what it gets. */
function recording(channel: ByteChannel, limits: LinkLimits) {
  const frames: Buffer[] = [];
  const errors: PeersError[] = [];
  const closes: Array<Error | undefined> = [];
  const link = new FramedLink(channel, limits);
  link.onframe = (buf, start, end) => frames.push(Buffer.from(buf.subarray(start, end)));
  link.onerror = (error) => {
    errors.push(error);
    link.close(error);
  };
  link.onclose = (error) => closes.push(error);
  return { link, frames, errors, closes };
}

/** Count the writes a channel makes, and their sizes. */
function countWrites(channel: ByteChannel): number[] {
  const sizes: number[] = [];
  const write = channel.write.bind(channel);
  channel.write = (bytes) => {
    sizes.push(bytes.length);
    write(bytes);
  };
  return sizes;
}

const payload = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);

describe.each([
  ['stream channel (UNIX socket)', streamPair],
  ['message channel (WebSocket)', messagePair],
])('FramedLink over a %s', (_name, makePair) => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('frames arrive whole and in order: an empty one, small ones, one of maxFrameBytes', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    const far = recording(pair.far, LIMITS);
    const sent = [payload(0, 0), payload(10, 1), payload(LIMITS.maxFrameBytes, 2), payload(300, 3)];
    for (const body of sent) far.link.send(frameHeader(body.length), body);
    await until(() => near.frames.length === sent.length);
    expect(near.frames).toEqual(sent);
    expect(near.errors).toEqual([]);
  });

  it('the frames of one turn go out as few writes as the channel allows, none over maxWriteBytes', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    const writes = countWrites(pair.far);
    const far = recording(pair.far, LIMITS);
    const sent = Array.from({ length: 24 }, (_, i) => payload(8 * 1024, i));
    for (const body of sent) far.link.send(frameHeader(body.length), body);
    await until(() => near.frames.length === sent.length);
    expect(near.frames).toEqual(sent);
    const framesPerWrite = Math.min(sent.length, Math.floor(pair.far.maxWriteBytes / (8 * 1024 + 4)));
    expect(writes.length).toBe(Math.ceil(sent.length / framesPerWrite));
    for (const size of writes) expect(size).toBeLessThanOrEqual(pair.far.maxWriteBytes);
  });

  it('close() sends what was queued first; both ends close cleanly', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    const far = recording(pair.far, LIMITS);
    far.link.send(frameHeader(3), Buffer.from('abc'));
    far.link.close();
    expect(far.link.closed).toBe(true);
    await Promise.all([near.link.whenClosed, far.link.whenClosed]);
    expect(near.frames).toEqual([Buffer.from('abc')]);
    expect(far.closes).toEqual([undefined]);
    expect(near.closes).toHaveLength(1);
    expect(near.errors).toEqual([]);
  });

  it('a declared length over maxFrameBytes: FRAME_TOO_LARGE, nothing delivered', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    pair.sendRaw(Buffer.concat([frameHeader(LIMITS.maxFrameBytes + 1), payload(16, 7)]));
    await until(() => near.errors.length === 1);
    expect(near.errors[0]!.code).toBe(Code.FRAME_TOO_LARGE);
    expect(near.frames).toEqual([]);
  });

  it('a peer that does not read: SLOW_CONSUMER, the link closed at once', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    recording(pair.far, LIMITS);
    pair.stopReading();
    const body = payload(16 * 1024, 9);
    await new Promise<void>((resolve) => {
      const flood = (): void => {
        for (let i = 0; i < 4 && !near.link.closed; i++) near.link.send(frameHeader(body.length), body);
        if (near.link.closed) resolve();
        else setImmediate(flood);
      };
      flood();
    });
    expect(near.closes).toHaveLength(1);
    expect((near.closes[0] as PeersError).code).toBe(Code.SLOW_CONSUMER);
    expect((near.closes[0] as PeersError).message).toContain(`maxBufferedBytes ${LIMITS.maxBufferedBytes}`);
    await near.link.whenClosed;
  });

  it('the other end goes away: closed once, whenClosed resolves', async () => {
    pair = await makePair(LIMITS);
    const near = recording(pair.near, LIMITS);
    pair.kill();
    await near.link.whenClosed;
    expect(near.link.closed).toBe(true);
    expect(near.closes).toHaveLength(1);
  });

  it('an unfinished frame over the budget of all links: BUFFER_BUDGET, its bytes released', async () => {
    const budget = new FrameBudget(16 * 1024);
    const limits = { ...LIMITS, budget };
    pair = await makePair(limits);
    const near = recording(pair.near, limits);
    // A stream holds the start of a frame; a WebSocket holds a message that has not fully arrived.
    pair.sendUnfinished(48 * 1024, 40 * 1024);
    await until(() => near.errors.length === 1);
    expect(near.errors[0]!.code).toBe(Code.BUFFER_BUDGET);
    expect(near.link.closed).toBe(true);
    expect(budget.used).toBe(0);
  });
});
