/**
 * The bundle's only transport: WebSocket. A browser (or any runtime with a global WebSocket) uses
 * its own, which cannot send headers; Node.js uses the minimal client with the `require` of the
 * script that evaluated the bundle, which sends them.
 */
import { Code, PeersError, type Dial } from '@weble/peers-core/core';
import { NodeWebSocket, type NodeRequire } from './node-websocket.js';
import type { SocketFactory, SocketLike } from './socket-like.js';
import { SocketLink, dialWithAbort, maxPayloadFor } from '@weble/peers-core/core';

/** How to make sockets here: Node's built-ins when given a `require` in Node.js, else the global WebSocket. */
export function socketFactory(nodeRequire: NodeRequire | undefined): SocketFactory {
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  if (isNode && nodeRequire)
    return (url, headers, maxPayload, tls) => new NodeWebSocket(url, headers, maxPayload, nodeRequire, tls);
  const Native = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
  if (typeof Native === 'function') return (url) => new Native(url);
  throw new PeersError(
    Code.BAD_ENDPOINT,
    'no WebSocket here: neither a global WebSocket nor a CommonJS require for Node built-ins',
  );
}

/** A {@link Dial} opening WebSocket links with sockets from `factory`. */
export function webSocketDial(factory: SocketFactory): Dial {
  return (endpoint, limits, signal) => {
    if (endpoint.kind !== 'ws') {
      return Promise.reject(
        new PeersError(
          Code.BAD_ENDPOINT,
          `the peers client only connects over WebSocket (ws://, wss://), not ${endpoint.kind}`,
        ),
      );
    }
    const url = new URL(endpoint.url);
    const where = `${url.protocol}//${url.host}${url.pathname}`;
    return dialWithAbort(where, signal, (attempt) => {
      const socket = factory(endpoint.url, endpoint.headers, maxPayloadFor(limits), { ...endpoint.tls });
      const settle = (): void => {
        socket.onopen = socket.onerror = socket.onclose = null;
      };
      socket.onopen = () => {
        settle();
        attempt.opened(new SocketLink(socket, where, limits));
      };
      socket.onerror = (event) => {
        settle();
        const { message, status } = (event ?? {}) as { message?: unknown; status?: unknown };
        const detail = `cannot connect to ${where}${typeof message === 'string' ? `: ${message}` : ''}`;
        // A refused session will not be accepted on the next attempt either (Node only: browsers
        // do not show the status of a refused upgrade).
        attempt.failed(new PeersError(status === 401 || status === 403 ? Code.UNAUTHORIZED : Code.CLOSED, detail));
      };
      socket.onclose = (event) => {
        settle();
        attempt.failed(new PeersError(Code.CLOSED, `cannot connect to ${where}: closed with code ${event.code}`));
      };
      return () => {
        settle();
        socket.close();
      };
    });
  };
}
