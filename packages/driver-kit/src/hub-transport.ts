/**
 * How a driver reaches its hub: `createPeersCore` (`@weble/peers-core/core`) with a dialer for the
 * endpoints a hub listens on (UNIX socket, TCP, TLS), instead of `createPeers` with every
 * transport. A driver never listens, federates or speaks WebSocket, and the full set costs each
 * driver process the WebSocket library, http, https, zlib, dgram, worker threads and pino (about
 * 3 MiB of RSS and 40 ms of start, docs/memory.md). node:tls is loaded only for a `tls://` hub.
 * The link itself (stream channel, framing, dial with abort) is peers-core's `dialStream`.
 */
import { connect as netConnect } from 'node:net';
import {
  createPeersCore,
  describeEndpoint,
  dialStream,
  type Endpoint,
  type Link,
  type LinkLimits,
  type OpeningSocket,
  type PeersOptions as CorePeersOptions,
  type StreamEndpoint,
} from '@weble/peers-core/core';
import type { Peers, PeersOptions } from '@weble/peers-core';

/** Open a socket to a stream endpoint; node:tls is imported for a TLS hub only. */
async function openSocket(endpoint: StreamEndpoint): Promise<OpeningSocket> {
  if (endpoint.kind === 'unix') return { socket: netConnect({ path: endpoint.path }), ready: 'connect' };
  if (endpoint.kind === 'tcp')
    return { socket: netConnect({ host: endpoint.host, port: endpoint.port }), ready: 'connect' };
  const tls = await import('node:tls');
  const { isIP } = await import('node:net');
  const servername = isIP(endpoint.host) ? undefined : endpoint.host;
  return {
    socket: tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(servername ? { servername } : {}),
      ...endpoint.tls,
    }),
    ready: 'secureConnect',
  };
}

/** The dialer of a driver's peers: one link to the hub. */
function dialHub(endpoint: Endpoint, limits: LinkLimits, signal: AbortSignal): Promise<Link> {
  if (endpoint.kind === 'ws')
    return Promise.reject(
      new Error(
        `${describeEndpoint(endpoint)}: a driver reaches its hub over a UNIX socket, TCP or TLS, not WebSocket`,
      ),
    );
  return dialStream(endpoint, limits, signal, openSocket);
}

/**
 * The peers object of a driver: `createPeers` with only the transport that reaches a hub. The
 * casts cross the two declaration files of peers-core's entries (`/core` and the main one declare
 * the same classes twice); at run time they are the same objects.
 */
export function createDriverPeers(name: string, options: PeersOptions): Peers {
  return createPeersCore(name, {
    ...(options as unknown as CorePeersOptions),
    transports: { dial: dialHub },
  }) as unknown as Peers;
}
