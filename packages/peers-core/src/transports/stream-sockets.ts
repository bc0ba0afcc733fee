/**
 * UNIX socket, TCP and TLS transports: one dialer and one listener, both producing framed links over
 * stream channels.
 */
import { existsSync, lstatSync, chmodSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import type * as Tls from 'node:tls';
import { Code, PeersError } from '../errors.js';
import { dialStream, type OpeningSocket, type StreamEndpoint } from '../link/stream-dial.js';
import { FramedLink } from '../link/framed-link.js';
import type { Link, LinkLimits } from '../link/link.js';
import { StreamChannel } from '../link/stream-channel.js';
import { describeEndpoint, type ListenSpec } from '../link/endpoint.js';
import type { Listener } from '../link/listener.js';

type StreamListenSpec = Exclude<ListenSpec, { kind: 'ws' }>;

/** node:tls, loaded by the first TLS dial or listener (a process on UNIX sockets never needs it). */
let tlsModule: typeof Tls | undefined;
function tls(): typeof Tls {
  tlsModule ??= createRequire(import.meta.url)('node:tls') as typeof Tls;
  return tlsModule;
}

/** Open a socket to a stream endpoint, with node:net and node:tls. */
function openSocket(endpoint: StreamEndpoint): OpeningSocket {
  if (endpoint.kind === 'unix') return { socket: net.connect({ path: endpoint.path }), ready: 'connect' };
  if (endpoint.kind === 'tcp')
    return { socket: net.connect({ host: endpoint.host, port: endpoint.port }), ready: 'connect' };
  const servername = net.isIP(endpoint.host) ? undefined : endpoint.host;
  return {
    socket: tls().connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(servername ? { servername } : {}),
      ...endpoint.tls,
    }),
    ready: 'secureConnect',
  };
}

/** Open a link to an endpoint. Rejects on connection errors or when `signal` aborts. */
export function dial(endpoint: StreamEndpoint, limits: LinkLimits, signal?: AbortSignal): Promise<Link> {
  return dialStream(endpoint, limits, signal, openSocket);
}

/** A framed link over a connected stream socket. */
function streamLink(socket: net.Socket, kind: Link['kind'], remote: string, limits: LinkLimits): Link {
  return new FramedLink(new StreamChannel(socket, kind, remote), limits);
}

/** Start listening; every accepted connection becomes a link passed to `onLink`. */
export async function listen(
  spec: StreamListenSpec,
  limits: LinkLimits,
  onLink: (link: Link) => void,
): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const accept = (socket: net.Socket, kind: Link['kind']): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const remote =
      kind === 'unix'
        ? `unix:${spec.kind === 'unix' ? spec.path : ''}`
        : `${kind}://${socket.remoteAddress}:${socket.remotePort}`;
    onLink(streamLink(socket, kind, remote, limits));
  };
  let server: net.Server;
  if (spec.kind === 'tls') {
    server = tls().createServer(spec.tls, (socket) => accept(socket, 'tls'));
    // A failed TLS handshake (bad certificate, plain text on a TLS port) only drops that socket.
    server.on('tlsClientError', (_error, socket) => socket.destroy());
  } else {
    server = net.createServer((socket) => accept(socket, spec.kind));
  }
  if (spec.kind === 'unix') await removeStaleSocket(spec.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.removeListener('error', reject);
      resolve();
    };
    if (spec.kind === 'unix') server.listen(spec.path, done);
    else server.listen(spec.port, spec.host, done);
  });
  if (spec.kind === 'unix') chmodSync(spec.path, spec.mode);
  server.on('error', () => {}); // errors after listening (EMFILE...) must not crash the process
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : undefined;
  const address =
    spec.kind === 'unix' ? describeEndpoint(spec) : describeEndpoint({ ...spec, port: port ?? spec.port });
  let closing: Promise<void> | undefined;
  return {
    address,
    port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).then(() => {
        if (spec.kind === 'unix' && existsSync(spec.path)) {
          try {
            unlinkSync(spec.path);
          } catch {
            // already gone
          }
        }
      });
      return closing;
    },
  };
}

/**
 * A socket file left by a crashed process is removed; one that a live process answers on is
 * refused with ADDRESS_IN_USE; a path that is not a socket is never deleted.
 */
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) {
    throw new PeersError(Code.ADDRESS_IN_USE, `${path} exists and is not a socket; refusing to replace it`);
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new PeersError(Code.ADDRESS_IN_USE, `${path} is in use by another live process`);
  unlinkSync(path);
}
