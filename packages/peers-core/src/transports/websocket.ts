/**
 * WebSocket transport: a dialer for `ws://` and `wss://` URLs and a listener running its own
 * HTTP(S) server that takes upgrades; both produce SocketLinks. A server that does its own HTTP
 * (and authentication) hands already-upgraded sockets to `peers.acceptWebSocket` instead.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { dialWithAbort } from '../link/dial-with-abort.js';
import type { Link, LinkLimits } from '../link/link.js';
import { describeEndpoint, type WsEndpoint, type WsListenSpec } from '../link/endpoint.js';
import type { Listener } from '../link/listener.js';
import { SocketLink, maxPayloadFor, type SocketLike } from '../link/message-channel.js';

/** Open a WebSocket link. Rejects on connection errors, a refused upgrade, or when `signal` aborts. */
export function dialWebSocket(endpoint: WsEndpoint, limits: LinkLimits, signal?: AbortSignal): Promise<Link> {
  const where = describeEndpoint(endpoint);
  return dialWithAbort(where, signal, (attempt) => {
    const socket = new WebSocket(endpoint.url, {
      ...endpoint.tls,
      headers: endpoint.headers,
      maxPayload: maxPayloadFor(limits),
      perMessageDeflate: false,
    });
    const onError = (error: Error): void => attempt.failed(error);
    socket.once('error', onError);
    socket.once('open', () => {
      socket.removeListener('error', onError);
      attempt.opened(new SocketLink(socket as unknown as SocketLike, where, limits));
    });
    return () => socket.terminate();
  });
}

/** Start an HTTP(S) server taking WebSocket upgrades on `spec.path`; each becomes a link for `onLink`. */
export async function listenWebSocket(
  spec: WsListenSpec,
  limits: LinkLimits,
  onLink: (link: Link) => void,
): Promise<Listener> {
  const scheme = spec.tls ? 'wss' : 'ws';
  // Plain HTTP requests get 426: this server only speaks WebSocket.
  const answer = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('WebSocket only\n');
  };
  const server = spec.tls ? https.createServer(spec.tls, answer) : http.createServer(answer);
  // A failed TLS handshake only drops that socket.
  server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
  const wss = new WebSocketServer({
    server,
    ...(spec.path !== undefined ? { path: spec.path } : {}),
    maxPayload: maxPayloadFor(limits),
    perMessageDeflate: false,
  });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket, request) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const { remoteAddress, remotePort } = request.socket;
    onLink(
      new SocketLink(
        socket as unknown as SocketLike,
        `${scheme}://${remoteAddress}:${remotePort}`,
        limits,
        request.socket,
      ),
    );
  });
  wss.on('error', () => {}); // re-emitted server errors are handled below
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port, spec.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  server.on('error', () => {}); // errors after listening (EMFILE...) must not crash the process
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : spec.port;
  let closing: Promise<void> | undefined;
  return {
    address: describeEndpoint({ ...spec, port }),
    port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
