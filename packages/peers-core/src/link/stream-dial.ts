/**
 * One dial of a stream socket (UNIX, TCP, TLS) into a framed link, with the socket opener passed
 * in: the Node transports open with node:net and node:tls loaded up front; a driver's hub
 * transport (driver-kit) loads node:tls only for a `tls://` hub. Imports no socket module itself,
 * so `@weble/peers-core/core` can export it.
 */
import { dialWithAbort } from './dial-with-abort.js';
import { describeEndpoint, type Endpoint } from './endpoint.js';
import { FramedLink } from './framed-link.js';
import type { Link, LinkLimits } from './link.js';
import { StreamChannel, type StreamSocket } from './stream-channel.js';

/** The endpoints a stream socket reaches. */
export type StreamEndpoint = Exclude<Endpoint, { kind: 'ws' }>;

/** A socket being opened and the event that says it is connected (`secureConnect` for TLS). */
export interface OpeningSocket {
  socket: StreamSocket;
  ready: 'connect' | 'secureConnect';
}

/** Start opening a socket to `endpoint` (synchronously, or once a module it needs is loaded). */
export type OpenStreamSocket = (endpoint: StreamEndpoint) => OpeningSocket | Promise<OpeningSocket>;

/** Open a link to `endpoint`. Rejects on connection errors or when `signal` aborts. */
export function dialStream(
  endpoint: StreamEndpoint,
  limits: LinkLimits,
  signal: AbortSignal | undefined,
  open: OpenStreamSocket,
): Promise<Link> {
  const where = describeEndpoint(endpoint);
  return dialWithAbort(where, signal, (attempt) => {
    let socket: StreamSocket | undefined;
    let aborted = false;
    const connect = (opening: OpeningSocket): void => {
      socket = opening.socket;
      if (aborted) return void socket.destroy();
      const onError = (error: Error): void => attempt.failed(error);
      socket.once('error', onError);
      socket.once(opening.ready, () => {
        socket!.removeListener('error', onError);
        attempt.opened(new FramedLink(new StreamChannel(socket!, endpoint.kind, where), limits));
      });
    };
    const opening = open(endpoint);
    if (opening instanceof Promise) opening.then(connect, (error: Error) => attempt.failed(error));
    else connect(opening);
    return () => {
      aborted = true;
      socket?.destroy();
    };
  });
}
