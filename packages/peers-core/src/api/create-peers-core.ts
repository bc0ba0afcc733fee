/**
 * `createPeersCore(name, options)`: the peers function-object without any transport of its own.
 * Dialing, listening and accepting sockets are passed in (`options.transports`), so a browser
 * bundle carries neither node:net, node:tls, ws nor pino. `createPeers` is this with the Node
 * transports (UNIX, TCP, TLS, WebSocket) and a pino logger.
 */
import { EventEmitter } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import type WebSocket from 'ws';
import { exponentialBackoff, type Backoff, type BackoffOptions } from '../link/backoff.js';
import { Connector, type Dial } from '../link/connector.js';
import { Code, PeersError } from '../errors.js';
import type { FederateOptions, FederationHandle, FederationHost } from '../federation/federate.js';
import { DEFAULT_MAX_UNFINISHED_BYTES, FrameBudget } from '../link/frame-budget.js';
import type { Authenticate } from '../mesh/handshake.js';
import type { RawStream } from '../link/message-channel.js';
import { DEFAULT_MAX_ROUTES_PER_LINK, localOnly, type MayAnnounce, type RemoteEmitPolicy } from '../mesh/trust.js';
import type { Link, LinkLimits } from '../link/link.js';
import type { Logger } from '../logger.js';
import { Mesh } from '../mesh/mesh.js';
import type { ShareFilter } from '../mesh/module-registry.js';
import { RemotePeerHandle, type RemotePeer } from './remote-peer.js';
import type { Listener as EventListener } from './remote-events.js';
import { parseEndpoint, parseListen, type EndpointInput, type ListenInput, type ListenSpec } from '../link/endpoint.js';
import type { Listener } from '../link/listener.js';
import { DEFAULT_TTL, assertName, assertSite, assertTarget } from '../codec/wire.js';

/** Options of {@link createPeers}. Every field is optional. */
export interface PeersOptions extends LinkLimits {
  /** Free data sent in the hello/welcome. */
  meta?: Record<string, unknown>;
  /** Credential sent in the hello (checked by the listener's `authenticate`). */
  token?: unknown;
  /** Default call timeout, ms. Default 30 000. */
  callTimeoutMs?: number;
  /** Time allowed for hello/welcome, ms. Default 10 000. */
  handshakeTimeoutMs?: number;
  /** Heartbeat interval, ms; a link silent for 3 intervals is closed. 0 disables. Default 5 000. */
  heartbeatMs?: number;
  /** Connection attempt timeout, ms. Default 10 000. */
  dialTimeoutMs?: number;
  /** Most event subscriptions held for one remote peer. Default 10 000. */
  maxInterestsPerPeer?: number;
  /** Hop limit of routed messages. Default 16. */
  ttl?: number;
  /** Reconnect delay policy, or options of the default exponential backoff. */
  backoff?: Backoff | BackoffOptions;
  /** Admission of incoming hellos (listeners). */
  authenticate?: Authenticate;
  /**
   * Which names a link this peer admitted may announce behind itself besides its own (it runs a
   * hub of its own: a web server's sessions). Asked once per announced name. Default: none.
   * Links this peer dialed speak for every name behind them (docs/protocol.md, "Trust").
   */
  mayAnnounce?: MayAnnounce;
  /** Budget for the unfinished frames of all links together, bytes (frame-budget.ts). Default 64 MiB. */
  maxUnfinishedBytes?: number;
  /** Most names one admitted link may announce behind itself (its own included). Default 1 000. */
  maxRoutesPerLink?: number;
  /**
   * What another peer's `peers(thisName).emit(event, ...)` does here, per event: 'local' (default)
   * runs this process's own listeners only; 'forward' also tells the peers subscribed to the
   * event, as if this peer had emitted it; 'refuse' drops it with a `PEERS_EMIT_REFUSED` error.
   */
  remoteEmit?: RemoteEmitPolicy;
  /** Structured logger (pino-compatible). Default: pino at level WEBLE_LOG_LEVEL or 'warn', on stderr. */
  logger?: Logger;
  /**
   * This hub's site (federation, docs/federation.md): 1-63 lowercase letters, digits and `-`.
   * Needed by `federate`; peers of other sites reach this hub's peers as `name@site`.
   */
  site?: string;
}

/** Options of `connect`. */
export interface ConnectOptions {
  /** TLS options for `tls://` and `wss://` endpoints (ca, cert, key, servername, rejectUnauthorized). */
  tls?: ConnectionOptions;
  /** HTTP headers sent with WebSocket upgrades (`ws://`, `wss://`): a session cookie or token. */
  headers?: Record<string, string>;
}

/** Options of `acceptWebSocket`. */
export interface AcceptWebSocketOptions {
  /** Where the socket comes from, for logs, errors and the `authenticate` hook's `hello.remote`. Default `ws:unknown`. */
  remote?: string;
  /** The socket under the WebSocket (`request.socket` of the upgrade): its bytes count in the budget for unfinished frames while a message arrives. */
  rawSocket?: RawStream;
}

type PeersEvent = 'connect' | 'disconnect' | 'error' | `connect ${string}` | `disconnect ${string}`;

/** The peers object: call it with a name for a remote handle; use its methods for the rest. */
export interface Peers {
  (peerName: string): RemotePeer;
  /** This peer's name on the mesh. */
  readonly peerName: string;
  /** Expose a module; `filter(callerName, method?)` decides per caller (and per method on calls), on every call. */
  share(name: string, object: object, filter?: ShareFilter): Peers;
  unshare(name: string): boolean;
  /**
   * The peer whose call runs now: inside a shared module's method, during its synchronous part
   * (read it first, before any await or callback), the caller's name (`name@site` from another
   * site); `undefined` anywhere else. A module uses it to record who did what.
   */
  currentCaller(): string | undefined;
  /**
   * Accept links: a UNIX socket path, `{port, host}`, `{port, host, tls: {cert, key}}`, or
   * `{port, host, path, ws: true, tls?}` (an HTTP or HTTPS server taking WebSocket upgrades).
   */
  listen(where: ListenInput): Promise<Listener>;
  /**
   * Take an already-upgraded ws `WebSocket` (a web server that did its own HTTP and authentication)
   * as an incoming link: the other side must send its hello next, as on any listener. The link is
   * closed by `close()`. The server's `maxPayload` should be at least `maxFrameBytes + 4`.
   */
  acceptWebSocket(socket: WebSocket, options?: AcceptWebSocketOptions): void;
  /** Keep a link to an endpoint (or the first reachable of a list), reconnecting on its own. */
  connect(where: EndpointInput | EndpointInput[], options?: ConnectOptions): Peers;
  /**
   * Link this hub's site with other sites (needs the `site` option): listen for site links,
   * keep links to `wellKnownPeers`. Peers of other sites are then reached as `name@site`.
   */
  federate(options: FederateOptions): Promise<FederationHandle>;
  /** Close outgoing links and stop reconnecting. Listeners stay open. */
  disconnect(): void;
  /** Close everything: outgoing links, listeners, accepted links; pending calls fail. */
  close(): Promise<void>;
  /** Names reachable now. */
  connectedPeers(): string[];
  /** Listeners registered: on this object, remote handles and module proxies (leak detection). */
  listenerCount(event?: string): number;
  /** This peer's own emitter; its events reach every peer listening to them. */
  peerEvents(): EventEmitter;
  on(event: PeersEvent, listener: EventListener): Peers;
  addListener(event: PeersEvent, listener: EventListener): Peers;
  once(event: PeersEvent, listener: EventListener): Peers;
  removeListener(event: PeersEvent, listener: EventListener): Peers;
  off(event: PeersEvent, listener: EventListener): Peers;
  /** Without an event: every listener this object registered, remote ones included. */
  removeAllListeners(event?: PeersEvent): Peers;
}

export type { Dial } from '../link/connector.js';

/** The transports a peers object can use; each one absent is refused with `PEERS_BAD_ENDPOINT`. */
export interface Transports {
  /** Opens one outgoing link (`connect`). */
  dial: Dial;
  /** Starts a listener (`listen`); every accepted link goes to `onLink`. */
  listen?: (spec: ListenSpec, limits: LinkLimits, onLink: (link: Link) => void) => Promise<Listener>;
  /** Wraps an already-upgraded WebSocket as a link (`acceptWebSocket`). */
  acceptWebSocket?: (socket: WebSocket, remote: string, limits: LinkLimits, raw?: RawStream) => Link;
  /** Site links (`federate`); absent in builds without node:crypto. */
  federate?: (host: FederationHost, options: FederateOptions) => Promise<FederationHandle>;
  /** Logger used when `options.logger` is not given, made on first use. Default: a silent one. */
  defaultLogger?: (name: string) => Logger;
}

/** Options of {@link createPeersCore}: those of `createPeers` plus the transports. */
export interface PeersCoreOptions extends PeersOptions {
  transports: Transports;
}

const silent: Logger = { debug() {}, warn() {}, error() {} };

/** Create a peer named `name` (unique on the mesh) that links through `options.transports`. */
export function createPeersCore(name: string, options: PeersCoreOptions): Peers {
  assertName(name);
  if (options.site !== undefined) assertSite(options.site);
  const { transports } = options;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let logger: Logger | undefined = options.logger;
  const log = (): Logger => (logger ??= transports.defaultLogger?.(name) ?? silent);
  const limits: LinkLimits = {
    ...(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {}),
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    budget: new FrameBudget(options.maxUnfinishedBytes ?? DEFAULT_MAX_UNFINISHED_BYTES),
  };
  const backoff: Backoff =
    typeof options.backoff === 'function' ? options.backoff : exponentialBackoff(options.backoff ?? {});
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;

  const safeEmit = (event: string, ...args: unknown[]): void => {
    for (const listener of emitter.rawListeners(event)) {
      try {
        (listener as EventListener)(...args);
      } catch (error) {
        report(
          name,
          new PeersError(Code.LISTENER_FAILED, `a listener of "${event}" threw: ${(error as Error)?.message}`, {
            cause: error,
          }),
        );
      }
    }
  };
  const report = (peer: string, error: Error): void => {
    if (emitter.listenerCount('error') > 0) {
      if (
        error instanceof PeersError &&
        error.code === Code.LISTENER_FAILED &&
        String(error.message).includes('listener of "error"')
      ) {
        log().error({ peer, err: error }, 'an error listener threw');
        return;
      }
      safeEmit('error', peer, error);
    } else {
      log().warn({ peer, code: (error as PeersError).code, err: error }, error.message);
    }
  };

  const mesh = new Mesh(
    {
      name,
      meta: options.meta ?? {},
      token: options.token,
      ttl: options.ttl ?? DEFAULT_TTL,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      heartbeatMs: options.heartbeatMs ?? 5_000,
      maxInterestsPerPeer: options.maxInterestsPerPeer ?? 10_000,
      authenticate: options.authenticate,
      mayAnnounce: options.mayAnnounce,
      maxRoutesPerLink: options.maxRoutesPerLink ?? DEFAULT_MAX_ROUTES_PER_LINK,
      remoteEmit: options.remoteEmit ?? localOnly,
      site: options.site,
    },
    {
      connect: (peer) => {
        safeEmit('connect', peer);
        safeEmit(`connect ${peer}`, peer);
      },
      disconnect: (peer) => {
        safeEmit('disconnect', peer);
        safeEmit(`disconnect ${peer}`, peer);
      },
      error: report,
    },
  );
  const handles = new Map<string, RemotePeerHandle>();
  const connectors = new Set<Connector>();
  const listeners = new Set<Listener>();
  const federations = new Set<FederationHandle>();

  const peers = ((peerName: string): RemotePeer => {
    assertTarget(peerName);
    let handle = handles.get(peerName);
    if (!handle) handles.set(peerName, (handle = new RemotePeerHandle(mesh, peerName, callTimeoutMs, report)));
    return handle.handle;
  }) as Peers;

  const api: Omit<Peers, never> = peers;
  Object.defineProperty(api, 'peerName', { value: name, enumerable: true });
  Object.assign(api, {
    share(moduleName: string, object: object, filter?: ShareFilter): Peers {
      assertName(moduleName, 'module name');
      if (!object || (typeof object !== 'object' && typeof object !== 'function')) {
        throw new PeersError(Code.BAD_ARGUMENT, `share("${moduleName}"): expected an object, got ${typeof object}`);
      }
      if (filter !== undefined && typeof filter !== 'function') {
        throw new PeersError(Code.BAD_ARGUMENT, `share("${moduleName}"): the filter must be a function`);
      }
      mesh.modules.share(moduleName, object, filter);
      mesh.moduleChanged(moduleName);
      return peers;
    },
    currentCaller(): string | undefined {
      return mesh.modules.caller;
    },
    unshare(moduleName: string): boolean {
      const removed = mesh.modules.unshare(moduleName);
      if (removed) mesh.moduleChanged(moduleName);
      return removed;
    },
    async listen(where: ListenInput): Promise<Listener> {
      const spec = parseListen(where);
      if (!transports.listen)
        throw new PeersError(Code.BAD_ENDPOINT, `listen: this build of peers has no listeners (${spec.kind})`);
      const listener = await transports.listen(spec, limits, (link: Link): void => mesh.attachIncoming(link));
      listeners.add(listener);
      return listener;
    },
    acceptWebSocket(socket: WebSocket, acceptOptions: AcceptWebSocketOptions = {}): void {
      if (!socket || typeof socket !== 'object' || typeof (socket as { send?: unknown }).send !== 'function') {
        throw new PeersError(Code.BAD_ARGUMENT, 'acceptWebSocket: expected a ws WebSocket');
      }
      if (!transports.acceptWebSocket)
        throw new PeersError(Code.BAD_ARGUMENT, 'acceptWebSocket: this build of peers cannot accept sockets');
      mesh.attachIncoming(
        transports.acceptWebSocket(socket, acceptOptions.remote ?? 'ws:unknown', limits, acceptOptions.rawSocket),
      );
    },
    connect(where: EndpointInput | EndpointInput[], connectOptions: ConnectOptions = {}): Peers {
      const list = Array.isArray(where) ? where : [where];
      if (list.length === 0) throw new PeersError(Code.BAD_ENDPOINT, 'connect needs at least one endpoint');
      const endpoints = list.map((e) => parseEndpoint(e, connectOptions.tls ?? {}, connectOptions.headers ?? {}));
      const onError = (where: string, error: Error, repeated: boolean): void => {
        if (repeated)
          log().debug(
            { peer: where, code: (error as PeersError).code, err: error },
            `still cannot connect: ${error.message}`,
          );
        else report(where, error);
      };
      const connector = new Connector(
        (link) => mesh.attachOutgoing(link),
        endpoints,
        limits,
        backoff,
        onError,
        options.dialTimeoutMs ?? 10_000,
        transports.dial,
      );
      connectors.add(connector);
      connector.start();
      return peers;
    },
    async federate(federateOptions: FederateOptions): Promise<FederationHandle> {
      if (!transports.federate)
        throw new PeersError(Code.BAD_ARGUMENT, 'federate: this build of peers has no site links');
      const handle = await transports.federate(
        {
          mesh: mesh.sitePort,
          site: options.site,
          limits,
          backoff,
          dialTimeoutMs: options.dialTimeoutMs ?? 10_000,
          handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
          log,
          report,
          dial: transports.dial,
          listen: transports.listen,
        },
        federateOptions,
      );
      federations.add(handle);
      return handle;
    },
    disconnect(): void {
      for (const connector of connectors) connector.stop();
      connectors.clear();
    },
    async close(): Promise<void> {
      api.disconnect();
      await Promise.all([...federations].map((f) => f.close()));
      federations.clear();
      await mesh.close();
      await Promise.all([...listeners].map((l) => l.close()));
      listeners.clear();
    },
    connectedPeers: () => mesh.peers(),
    listenerCount(event?: string): number {
      let n = 0;
      if (event !== undefined) n += emitter.listenerCount(event);
      else for (const e of emitter.eventNames()) n += emitter.listenerCount(e);
      for (const handle of handles.values()) n += handle.listenerCount(event);
      return n;
    },
    peerEvents: () => mesh.peerEvents,
    on: (event: string, listener: EventListener) => (emitter.on(event, listener), peers),
    addListener: (event: string, listener: EventListener) => (emitter.on(event, listener), peers),
    once: (event: string, listener: EventListener) => (emitter.once(event, listener), peers),
    removeListener: (event: string, listener: EventListener) => (emitter.removeListener(event, listener), peers),
    off: (event: string, listener: EventListener) => (emitter.removeListener(event, listener), peers),
    removeAllListeners(event?: string): Peers {
      if (event !== undefined) {
        emitter.removeAllListeners(event);
        return peers;
      }
      emitter.removeAllListeners();
      for (const handle of handles.values()) handle.removeAllListeners();
      return peers;
    },
  });
  return peers;
}
