/**
 * The bundle's minimal Node.js WebSocket client against a real `ws` server: headers, lengths of
 * every size class, fragmented and text messages, ping, close codes, the payload limit, a refused
 * upgrade.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { NodeWebSocket } from '../src/bundle/node-websocket.js';

const nodeRequire = createRequire(import.meta.url);
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Server {
  url: string;
  next(): Promise<{ socket: WebSocket; request: http.IncomingMessage }>;
}

async function server(refuse = false): Promise<Server> {
  const http1 = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  const waiting: Array<(c: { socket: WebSocket; request: http.IncomingMessage }) => void> = [];
  http1.on('upgrade', (request, socket, head) => {
    if (refuse) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => waiting.shift()?.({ socket: ws, request }));
  });
  http1.listen(0, '127.0.0.1');
  await once(http1, 'listening');
  cleanup.push(
    () => new Promise<void>((resolve) => (wss.close(), http1.closeAllConnections(), http1.close(() => resolve()))),
  );
  return {
    url: `ws://127.0.0.1:${(http1.address() as AddressInfo).port}/peers?session=abc`,
    next: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

function client(
  url: string,
  maxPayload = 1 << 20,
): { ws: NodeWebSocket; messages: unknown[]; opened: Promise<void>; closed: Promise<number>; errors: unknown[] } {
  const ws = new NodeWebSocket(url, { Authorization: 'Bearer abc' }, maxPayload, nodeRequire);
  const messages: unknown[] = [];
  const errors: unknown[] = [];
  ws.onmessage = (event) => messages.push(event.data);
  ws.onerror = (event) => errors.push(event);
  const opened = new Promise<void>((resolve) => (ws.onopen = () => resolve()));
  const closed = new Promise<number>((resolve) => (ws.onclose = (event) => resolve(event.code)));
  cleanup.push(() => ws.close());
  return { ws, messages, opened, closed, errors };
}

/** Wait (up to 10 s) until the messages counted by `condition` have arrived. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('NodeWebSocket', () => {
  it('upgrades with the headers and query, and carries binary messages of every length class both ways', async () => {
    const s = await server();
    const accepted = s.next();
    const c = client(s.url);
    const { socket, request } = await accepted;
    await c.opened;
    expect(request.headers.authorization).toBe('Bearer abc');
    expect(request.url).toBe('/peers?session=abc');
    const received: Buffer[] = [];
    socket.on('message', (data: Buffer) => received.push(data));
    const sizes = [0, 1, 125, 126, 65535, 65536, 200_000];
    for (const n of sizes) c.ws.send(Buffer.alloc(n, n % 251));
    for (const n of sizes) socket.send(Buffer.alloc(n, n % 251));
    await until(() => received.length === sizes.length && c.messages.length === sizes.length, 'all messages');
    expect(received.map((b) => b.length)).toEqual(sizes);
    expect(received.every((b, i) => b.every((x) => x === sizes[i]! % 251))).toBe(true);
    expect(c.messages.map((m) => (m as Buffer).length)).toEqual(sizes);
  });

  it('joins fragments, passes text as a string, answers pings, and reports the close code', async () => {
    const s = await server();
    const accepted = s.next();
    const c = client(s.url);
    const { socket } = await accepted;
    await c.opened;
    socket.send(Buffer.from('ab'), { binary: true, fin: false });
    socket.send(Buffer.from('cd'), { binary: true, fin: true });
    socket.send('hello');
    const pong = once(socket, 'pong');
    socket.ping(Buffer.from('p'));
    expect((await pong)[0]).toEqual(Buffer.from('p'));
    await until(() => c.messages.length === 2, 'two messages');
    expect(Buffer.from(c.messages[0] as Buffer).toString()).toBe('abcd');
    expect(c.messages[1]).toBe('hello');
    const serverClosed = once(socket, 'close');
    socket.close(4001, 'bye');
    expect(await c.closed).toBe(4001);
    expect((await serverClosed)[0]).toBe(4001);
  });

  it('closes with 1009 on a message over maxPayload, and sends its own close code', async () => {
    const s = await server();
    let accepted = s.next();
    const c = client(s.url, 100);
    let { socket } = await accepted;
    await c.opened;
    socket.send(Buffer.alloc(101));
    expect(await c.closed).toBe(1009);
    expect(c.messages).toEqual([]);

    accepted = s.next();
    const d = client(s.url);
    ({ socket } = await accepted);
    await d.opened;
    const serverClosed = once(socket, 'close');
    d.ws.close(1000);
    expect((await serverClosed)[0]).toBe(1000);
    expect(await d.closed).toBe(1000);
  });

  it('reports a refused upgrade with its HTTP status', async () => {
    const s = await server(true);
    const c = client(s.url);
    expect(await c.closed).toBe(1006);
    expect(c.errors).toMatchObject([{ status: 401 }]);
  });
});
