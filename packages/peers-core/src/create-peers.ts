/**
 * `createPeers(name, options)`: the seed's function-object. As a function it returns the handle
 * of a remote peer; as an object it shares modules, listens, connects and reports connections.
 * It is `createPeersCore` with the Node transports (UNIX, TCP, TLS, WebSocket) and pino.
 * The WebSocket transport (ws, node:http, node:https) and site links are loaded on first use: a
 * peer on a UNIX socket (a driver, the supervisor's hub without federation) never holds them
 * (about 3 MiB of a long-lived process, docs/memory.md).
 */
import pino from 'pino';
import type { Link, LinkLimits } from './link/link.js';
import type { Logger } from './logger.js';
import { createPeersCore, type Peers, type PeersOptions, type Transports } from './api/create-peers-core.js';
import type { Endpoint } from './link/endpoint.js';
import { dial, listen } from './transports/stream-sockets.js';
import { SocketLink, type SocketLike } from './link/message-channel.js';

export type { Peers, PeersOptions, ConnectOptions, AcceptWebSocketOptions } from './api/create-peers-core.js';

function defaultLogger(name: string): Logger {
  return pino({ name: `peers:${name}`, level: process.env.WEBLE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

/** The WebSocket transport, loaded on first use. */
const webSocketTransport = (): Promise<typeof import('./transports/websocket.js')> =>
  import('./transports/websocket.js');

/** The Node transports: every endpoint kind of `connect` and `listen`, and `acceptWebSocket`. */
const nodeTransports: Transports = {
  dial: async (endpoint: Endpoint, limits: LinkLimits, signal: AbortSignal): Promise<Link> =>
    endpoint.kind === 'ws'
      ? (await webSocketTransport()).dialWebSocket(endpoint, limits, signal)
      : dial(endpoint, limits, signal),
  listen: async (spec, limits, onLink) =>
    spec.kind === 'ws'
      ? (await webSocketTransport()).listenWebSocket(spec, limits, onLink)
      : listen(spec, limits, onLink),
  acceptWebSocket: (socket, remote, limits, raw) =>
    new SocketLink(socket as unknown as SocketLike, remote, limits, raw),
  federate: async (host, options) => (await import('./federation/federate.js')).federate(host, options),
  defaultLogger,
};

/** Create a peer named `name` (unique on the mesh). */
export function createPeers(name: string, options: PeersOptions = {}): Peers {
  return createPeersCore(name, { ...options, transports: nodeTransports });
}
