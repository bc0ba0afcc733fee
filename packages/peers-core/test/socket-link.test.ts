/**
 * The WebSocket transport under good and bad input: a hub listening with `{ws: true}` (port 0),
 * raw ws clients sending what a real peer never would, a web server handing upgraded sockets to
 * `acceptWebSocket`, headers on the upgrade, and failover across endpoint kinds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { decode, encode } from '../src/codec/messagepack.js';
import { Code } from '../src/errors.js';
import { FrameDecoder, frameHeader } from '../src/codec/frame-decoder.js';
import type { Hello } from '../src/mesh/handshake.js';
import { createPeers, type Peers } from '../src/create-peers.js';
import { parseEndpoint, parseListen } from '../src/link/endpoint.js';
import { PROTOCOL_VERSION, readEnvelope, writeHeader, type Envelope } from '../src/codec/wire.js';
import { MessageType, tempDir, until, waitFor } from './helpers.js';

const silent = { debug() {}, warn() {}, error() {} };

/** A protocol client on a raw ws WebSocket. */
class RawWs {
  readonly received: Array<Envelope & { decoded: unknown }> = [];
  closeCode: number | undefined;
  private readonly decoder = new FrameDecoder();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      for (const frame of this.decoder.push(data)) {
        const env = readEnvelope(frame);
        this.received.push({
          ...env,
          decoded: env.end > env.bodyStart ? decode(env.src, env.bodyStart, env.end) : undefined,
        });
      }
    });
    socket.on('close', (code) => (this.closeCode = code));
    socket.on('error', () => {});
  }

  static connect(url: string): Promise<RawWs> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new RawWs(socket)));
      socket.once('error', reject);
    });
  }

  /** One encoded frame (length prefix included). */
  static frame(type: MessageType, to: string, topic: string, body?: unknown): Buffer {
    const bytes = body === undefined ? Buffer.alloc(0) : encode(body);
    return Buffer.concat([writeHeader(type, 8, to, '', topic, bytes.length), bytes]);
  }

  sendFrames(...frames: Buffer[]): void {
    this.socket.send(Buffer.concat(frames), { binary: true });
  }

  async hello(name: string): Promise<void> {
    this.sendFrames(RawWs.frame(MessageType.HELLO, '', '', { v: PROTOCOL_VERSION, name, meta: {} }));
    await this.next((m) => m.type === MessageType.WELCOME);
  }

  async next(
    match: (m: Envelope & { decoded: unknown }) => boolean,
    ms = 5000,
  ): Promise<(Envelope & { decoded: unknown }) | undefined> {
    await until(() => this.received.some(match) || this.closeCode !== undefined, ms, 'a message');
    return this.received.find(match);
  }

  async whenClosed(): Promise<number> {
    await until(() => this.closeCode !== undefined, 5000, 'ws closed');
    return this.closeCode!;
  }
}

let hub: Peers;
let url: string;
const errors: Array<{ peer: string; error: Error & { code?: string } }> = [];
const cleanup: Array<() => unknown> = [];

beforeEach(async () => {
  errors.length = 0;
  hub = createPeers('supervision', {
    logger: silent,
    maxFrameBytes: 64 * 1024,
    maxBufferedBytes: 256 * 1024,
    heartbeatMs: 0,
  });
  hub.on('error', (peer: string, error: Error) => errors.push({ peer, error }));
  hub.share('echo', { say: (x: unknown, cb: (e: null, r: unknown) => void) => cb(null, x) });
  const listener = await hub.listen({ port: 0, path: '/peers', ws: true });
  url = `ws://127.0.0.1:${listener.port}/peers`;
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await hub.close();
});

async function raw(name?: string): Promise<RawWs> {
  const client = await RawWs.connect(url);
  cleanup.push(() => client.socket.terminate());
  if (name) {
    await client.hello(name);
    await until(() => hub.connectedPeers().includes(name), 5000, `${name} joined`);
  }
  return client;
}

/** The hub still answers a well-behaved ws peer. */
async function hubServes(): Promise<void> {
  const probe = createPeers(`probe_${Math.random().toString(36).slice(2, 8)}`, { logger: silent });
  cleanup.push(() => probe.close());
  probe.connect(url);
  await waitFor(probe, 'connect supervision');
  const echo = await probe('supervision').require('echo');
  expect(await (echo.say as (x: string) => Promise<string>)('still up')).toBe('still up');
}

describe('SocketLink over ws under bad input', () => {
  it('garbage in a binary message: FRAME_TOO_LARGE notice, link closed, hub up', async () => {
    const client = await raw();
    client.socket.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), { binary: true });
    const notice = await client.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({ code: Code.FRAME_TOO_LARGE });
    await client.whenClosed();
    expect(errors.map((e) => e.error.code)).toContain(Code.FRAME_TOO_LARGE);
    await hubServes();
  });

  it('a declared length over maxFrameBytes: FRAME_TOO_LARGE notice naming the size', async () => {
    const client = await raw('big_sender');
    client.sendFrames(frameHeader(10 * 1024 * 1024));
    const notice = await client.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({
      code: Code.FRAME_TOO_LARGE,
      message: expect.stringContaining('10485760 bytes'),
    });
    await client.whenClosed();
    await until(() => !hub.connectedPeers().includes('big_sender'), 5000, 'big_sender gone');
    await hubServes();
  });

  it('a message over maxPayload (maxFrameBytes + 4): refused by ws with 1009, FRAME_TOO_LARGE reported', async () => {
    const client = await raw('huge_sender');
    client.socket.send(Buffer.alloc(64 * 1024 + 5), { binary: true });
    expect(await client.whenClosed()).toBe(1009);
    await until(() => errors.some((e) => e.error.code === Code.FRAME_TOO_LARGE), 5000, 'FRAME_TOO_LARGE');
    expect(errors.find((e) => e.error.code === Code.FRAME_TOO_LARGE)?.peer).toBe('huge_sender');
    await hubServes();
  });

  it('a text message: BAD_FRAME notice, link closed, hub up', async () => {
    const client = await raw('texter');
    client.socket.send('{"type":"call"}');
    const notice = await client.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({ code: Code.BAD_FRAME, message: expect.stringContaining('text message') });
    await client.whenClosed();
    expect(errors.find((e) => e.error.code === Code.BAD_FRAME)?.peer).toBe('texter');
    await hubServes();
  });

  it('a frame split across two messages: TRUNCATED_FRAME, nothing delivered', async () => {
    let called = false;
    hub.share('spy', { touch: (cb: (e: null) => void) => ((called = true), cb(null)) });
    const client = await raw('splitter');
    const frame = RawWs.frame(MessageType.CALL, 'supervision', 'spy', [1, 'touch', []]);
    client.sendFrames(frame.subarray(0, 10));
    client.sendFrames(frame.subarray(10));
    const notice = await client.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({
      code: Code.TRUNCATED_FRAME,
      message: expect.stringContaining('ends inside a frame'),
    });
    await client.whenClosed();
    expect(called).toBe(false);
    await hubServes();
  });

  it('several frames in one message are all delivered, in order', async () => {
    const client = await raw('batcher');
    client.sendFrames(
      ...[1, 2, 3].map((id) => RawWs.frame(MessageType.CALL, 'supervision', 'echo', [id, 'say', [`n${id}`]])),
    );
    await until(() => client.received.filter((m) => m.type === MessageType.RESULT).length === 3, 5000, 'three results');
    expect(client.received.filter((m) => m.type === MessageType.RESULT).map((m) => m.decoded)).toEqual(
      [1, 2, 3].map((id) => [id, null, [`n${id}`]]),
    );
  });

  it('a tick of writes over maxFrameBytes + 4 goes out as several messages, none refused', async () => {
    const client = createPeers('burst', { logger: silent, maxFrameBytes: 64 * 1024 });
    cleanup.push(() => client.close());
    client.connect(url);
    await waitFor(client, 'connect supervision');
    const echo = await client('supervision').require('echo');
    const say = echo.say as (x: Buffer) => Promise<Buffer>;
    const sent = Array.from({ length: 12 }, (_, i) => Buffer.alloc(20 * 1024, i));
    const back = await Promise.all(sent.map((b) => say(b))); // 240 KiB queued in one tick, each way
    expect(back.map((b) => b.equals(sent[back.indexOf(b)]!))).toEqual(sent.map(() => true));
    expect(errors).toEqual([]);
  });

  it('a peer that floods calls and never reads: dropped as SLOW_CONSUMER, hub up', async () => {
    const client = await raw('flooder');
    client.socket.pause();
    const payload = 'x'.repeat(1000);
    const reported = waitFor<[string, Error & { code?: string }]>(
      hub,
      'error',
      (_p, e) => e.code === Code.SLOW_CONSUMER,
      15000,
    );
    let id = 0;
    const flood = (): void => {
      if (client.socket.readyState !== WebSocket.OPEN || errors.some((e) => e.error.code === Code.SLOW_CONSUMER))
        return;
      while (client.socket.bufferedAmount < 1024 * 1024)
        client.sendFrames(RawWs.frame(MessageType.CALL, 'supervision', 'echo', [++id, 'say', [payload]]));
      setImmediate(flood);
    };
    flood();
    const [peer, error] = await reported;
    expect(peer).toBe('flooder');
    expect(error.message).toContain('maxBufferedBytes 262144');
    await until(() => !hub.connectedPeers().includes('flooder'), 5000, 'flooder dropped');
    await hubServes();
  });
});

describe('WebSocket endpoints and acceptWebSocket', () => {
  it('parses ws:// and wss:// URLs and {port, path, ws: true}; refuses bad ones with BAD_ENDPOINT', () => {
    expect(parseEndpoint('ws://localhost:8080/peers?x=1', {}, { cookie: 's=1' })).toEqual({
      kind: 'ws',
      url: 'ws://localhost:8080/peers?x=1',
      tls: {},
      headers: { cookie: 's=1' },
    });
    expect(parseEndpoint('wss://example.org/peers', { ca: 'x' })).toMatchObject({
      kind: 'ws',
      url: 'wss://example.org/peers',
      tls: { ca: 'x' },
    });
    expect(parseListen({ port: 0, path: '/peers', ws: true })).toEqual({
      kind: 'ws',
      host: '127.0.0.1',
      port: 0,
      path: '/peers',
      tls: undefined,
    });
    expect(() => parseEndpoint('ws://localhost:99999/')).toThrow(expect.objectContaining({ code: Code.BAD_ENDPOINT }));
    expect(() => parseListen({ port: 0, path: 'peers', ws: true })).toThrow(
      expect.objectContaining({ code: Code.BAD_ENDPOINT, message: expect.stringContaining('must start with "/"') }),
    );
  });

  it('a web server authenticates the upgrade itself and hands the socket in; authenticate sees hello.remote', async () => {
    const hellos: Hello[] = [];
    const web = createPeers('webserver', {
      logger: silent,
      heartbeatMs: 0,
      authenticate: (hello) => (hellos.push(hello), true),
    });
    web.share('echo', { say: (x: unknown, cb: (e: null, r: unknown) => void) => cb(null, x) });
    cleanup.push(() => web.close());
    const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 + 4 });
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (request, socket, head) => {
      if (request.headers.cookie !== 'session=good') {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) =>
        web.acceptWebSocket(ws, { remote: `ws://${request.socket.remoteAddress}:${request.socket.remotePort}` }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
    const webUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    const stranger = createPeers('stranger', { logger: silent });
    cleanup.push(() => stranger.close());
    stranger.connect(webUrl);
    const [where, refused] = await waitFor<[string, Error]>(stranger, 'error');
    expect(where).toBe(webUrl);
    expect(refused.message).toContain('401');

    const browser = createPeers('browser_1', { logger: silent });
    cleanup.push(() => browser.close());
    browser.connect(webUrl, { headers: { cookie: 'session=good' } });
    await waitFor(browser, 'connect webserver');
    const echo = await browser('webserver').require('echo');
    expect(await (echo.say as (x: string) => Promise<string>)('through the web')).toBe('through the web');
    expect(hellos.map((h) => [h.name, h.remote])).toEqual([
      ['browser_1', expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/)],
    ]);
    await web.close();
    await until(() => !browser.connectedPeers().includes('webserver'), 5000, 'webserver gone');
  });

  it('failover goes on across endpoint kinds: a dead ws endpoint, then a UNIX socket', async () => {
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    await hub.listen(tmp.sock());
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));

    const client = createPeers('mixed', { logger: silent, backoff: { initialMs: 10, maxMs: 50 } });
    cleanup.push(() => client.close());
    client.on('error', () => {});
    client.connect([`ws://127.0.0.1:${deadPort}/peers`, tmp.sock()]);
    await waitFor(client, 'connect supervision');
    expect(client.connectedPeers()).toEqual(['supervision']);
  });
});
