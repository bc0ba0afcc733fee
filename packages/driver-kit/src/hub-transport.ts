/**
 * How a driver reaches its hub: `createPeersCore` (`@weble/peers-core/core`) with a dialer for the
 * endpoints a hub listens on (UNIX socket, TCP, TLS), instead of `createPeers` with every
 * transport. A driver never listens, federates or speaks WebSocket, and the full set costs each
 * driver process the WebSocket library, http, https, zlib, dgram, worker threads and pino (about
 * 3 MiB of RSS and 40 ms of start, docs/memory.md). node:tls is loaded only for a `tls://` hub.
 */
import { connect as netConnect, type Socket } from 'node:net';
import {
  createPeersCore,
  dialWithAbort,
  FramedLink,
  type ByteChannel,
  type ChannelEvents,
  type Endpoint,
  type Link,
  type LinkLimits,
  type PeersOptions as CorePeersOptions,
} from '@weble/peers-core/core';
import type { Peers, PeersOptions } from '@weble/peers-core';

/** A peer that never reads must not keep the socket open after we gave up on it (as peers-core's). */
const END_TIMEOUT_MS = 1000;

/** The byte channel of a connected stream socket (UNIX, TCP, TLS). */
class SocketChannel implements ByteChannel {
  readonly wholeFrames = false;
  readonly maxWriteBytes = Infinity;
  readonly countsUnfinishedBytes = true;
  readonly arrivingBytes = 0;

  constructor(
    private readonly socket: Socket,
    readonly kind: Link['kind'],
    readonly remote: string,
  ) {
    socket.setNoDelay(true);
  }

  get unsentBytes(): number {
    return this.socket.writableLength;
  }

  get writable(): boolean {
    return !this.socket.destroyed;
  }

  start(events: ChannelEvents): void {
    this.socket.on('data', (chunk: Buffer) => events.data(chunk));
    this.socket.on('end', () => events.ended());
    this.socket.on('error', (error: Error) => events.failed(error));
    this.socket.on('close', () => events.closed());
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  end(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_TIMEOUT_MS).unref();
  }

  abort(): void {
    this.socket.destroy();
  }

  exportKeyingMaterial(length: number, label: string): Buffer | undefined {
    const tlsSocket = this.socket as { exportKeyingMaterial?: (length: number, label: string) => Buffer };
    return typeof tlsSocket.exportKeyingMaterial === 'function' ? tlsSocket.exportKeyingMaterial(length, label) : undefined;
  }
}

function describe(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return `unix:${endpoint.path}`;
  if (endpoint.kind === 'ws') return endpoint.url;
  return `${endpoint.kind}://${endpoint.host}:${endpoint.port}`;
}

/** Open a socket to `endpoint`; resolves once it is connected (TLS: once the handshake is done). */
async function openSocket(endpoint: Endpoint): Promise<{ socket: Socket; ready: string }> {
  if (endpoint.kind === 'unix') return { socket: netConnect({ path: endpoint.path }), ready: 'connect' };
  if (endpoint.kind === 'tcp') return { socket: netConnect({ host: endpoint.host, port: endpoint.port }), ready: 'connect' };
  if (endpoint.kind === 'tls') {
    const tls = await import('node:tls');
    const { isIP } = await import('node:net');
    const servername = isIP(endpoint.host) ? undefined : endpoint.host;
    return { socket: tls.connect({ host: endpoint.host, port: endpoint.port, ...(servername ? { servername } : {}), ...endpoint.tls }), ready: 'secureConnect' };
  }
  throw new Error(`${describe(endpoint)}: a driver reaches its hub over a UNIX socket, TCP or TLS, not WebSocket`);
}

/** The dialer of a driver's peers: one link to the hub. */
function dialHub(endpoint: Endpoint, limits: LinkLimits, signal: AbortSignal): Promise<Link> {
  const where = describe(endpoint);
  return dialWithAbort(where, signal, (attempt) => {
    let socket: Socket | undefined;
    let aborted = false;
    openSocket(endpoint).then(
      (opened) => {
        socket = opened.socket;
        if (aborted) return void socket.destroy();
        const onError = (error: Error): void => attempt.failed(error);
        socket.once('error', onError);
        socket.once(opened.ready, () => {
          socket!.removeListener('error', onError);
          attempt.opened(new FramedLink(new SocketChannel(socket!, endpoint.kind, where), limits));
        });
      },
      (error: Error) => attempt.failed(error),
    );
    return () => {
      aborted = true;
      socket?.destroy();
    };
  });
}

/**
 * The peers object of a driver: `createPeers` with only the transport that reaches a hub. The
 * casts cross the two declaration files of peers-core's entries (`/core` and the main one declare
 * the same classes twice); at run time they are the same objects.
 */
export function createDriverPeers(name: string, options: PeersOptions): Peers {
  return createPeersCore(name, { ...(options as unknown as CorePeersOptions), transports: { dial: dialHub } }) as unknown as Peers;
}
