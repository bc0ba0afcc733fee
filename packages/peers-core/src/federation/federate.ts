/**
 * `peers.federate(options)`: link this hub's site with other sites' hubs (docs/federation.md).
 * Listens for site links (TLS; plain TCP only with `plaintext: true`, with a warning) and keeps a
 * link to each well-known peer, reconnecting with backoff; a peer that refuses our secret or
 * certificate is not retried (the others are). Node only: it needs node:crypto.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { TlsOptions } from 'node:tls';
import type { Backoff } from '../link/backoff.js';
import { Connector } from '../link/connector.js';
import { Code, PeersError } from '../errors.js';
import { Federation, certificateError, type KnownSite } from './site-links.js';
import { Membership, type Status, type StatusChange } from './membership.js';
import type { ActionHandler, RunCallback } from './actions.js';
import {
  FederationServices,
  type SelectAnswer,
  type SelectQuery,
  type Selection,
  type SiteRef,
  type SiteTarget,
} from './services.js';
import type { RelaySocket } from './relay-socket.js';
import type { Link, LinkLimits } from '../link/link.js';
import type { Logger } from '../logger.js';
import type { SitePort } from '../mesh/site-port.js';
import type { Endpoint, ListenSpec } from '../link/endpoint.js';
import { describeEndpoint } from '../link/endpoint.js';
import type { Listener } from '../link/listener.js';
import { siteRoute } from '../codec/address.js';

/** Where another site's hub listens. */
export interface SiteEndpoint {
  host: string;
  port: number;
}

/** Options of `peers.federate`. A shared `secret`, or mutual TLS (`tls.ca`), or both, is required. */
export interface FederateOptions {
  /** Accept site links here (TLS with `tls.cert`/`tls.key`; plain TCP with `plaintext`). Port 0 picks one. */
  listen?: { host?: string; port: number };
  /** Hubs to link to: one or a list; each is kept up on its own. */
  wellKnownPeers?: SiteEndpoint | SiteEndpoint[];
  /** Shared secret of the federation; each side proves it (HMAC-SHA256), it is never sent. */
  secret?: string | Uint8Array;
  /**
   * TLS: `cert`/`key` present this hub (listener and dialer), `ca` verifies the other side's
   * certificate both ways (mutual TLS). Without `ca` certificates are not verified and the
   * secret, bound to the TLS session, authenticates both sides.
   */
  tls?: { cert?: string | Buffer; key?: string | Buffer; ca?: string | Buffer | Array<string | Buffer> };
  /** Plain TCP site links (no encryption): only when set to true; logged as a warning. */
  plaintext?: boolean;
  /** Free data about this site, advertised to every site of the federation. */
  metadata?: Record<string, unknown>;
  /**
   * Where other sites can reach this hub, advertised to them (they learn it for `wellKnownPeers.get()`
   * and rejoining). Default: the listen address, its host filled in by each neighbour when it is
   * 0.0.0.0 or ::.
   */
  advertise?: SiteEndpoint;
  /** Quiet time after the last change of links or site routes before the status is `joined`, ms. Default 1000. */
  settleMs?: number;
  /**
   * When the best path to a site is lost, how long the site takes only paths learned after the
   * loss (a dead site is never re-announced from stale paths; a live one comes back through another
   * path at the latest after it), ms. Default 1000; 0 fails over at once.
   */
  holdDownMs?: number;
  /** How long `run` and `select` wait for an action's answer, ms. Default 30 000. */
  actionTimeoutMs?: number;
  /** Hop limit of datagrams (`send`, sockets), counting local and site hops. Default: the peers `ttl` (16). */
  hopLimit?: number;
  /** Points per site on the responsibility ring. Default 64. */
  vnodes?: number;
}

export type { Status, StatusChange } from './membership.js';
export type { KnownSite } from './site-links.js';
export type { SiteRef, SiteTarget, SelectQuery, SelectAnswer, Selection } from './services.js';
export type { ActionHandler, ActionDone, RunCallback } from './actions.js';
export type { RelaySocket, RelayAddress } from './relay-socket.js';

/** Status events of a {@link FederationHandle}: `status::*` and `status::<status>`, each with `{from, to}`. */
export type StatusEvent = 'status::*' | 'status::lonely' | 'status::unbalanced' | 'status::joined';
/** Ring events: `environment::successor` / `::predecessor` with the new neighbour (or undefined); `::*` adds which one. */
export type EnvironmentEvent = 'environment::*' | 'environment::successor' | 'environment::predecessor';
/** Every event of a {@link FederationHandle}; `message` carries a datagram `(data, fromSite)`. */
export type FederationEvent = StatusEvent | EnvironmentEvent | 'message';
type EnvironmentListener = (neighbour: SiteRef | undefined, which: 'successor' | 'predecessor') => void;
type MessageListener = (data: unknown, fromSite: string) => void;
type AnyListener = (...args: never[]) => void;

/** A running federation of this hub. */
export interface FederationHandle {
  /** This hub's site. */
  readonly site: string;
  /** The port site links are accepted on (after `listen` with port 0), or undefined. */
  readonly port: number | undefined;
  /** Sites reachable now. */
  sites(): string[];
  /** Sites linked directly: site, metadata and the other hub's name. */
  neighbours(): Array<{ site: string; name: string; metadata: Record<string, unknown> }>;
  /** Every site reachable now, with its path, endpoint and metadata. */
  known(): KnownSite[];
  /** `lonely` (no site link), `unbalanced` (links or routes changing), `joined` (settled). */
  status(): Status;
  /** The hubs learned so far (configured and advertised by sites): to persist and reuse as `wellKnownPeers`. */
  readonly wellKnownPeers: { get(): SiteEndpoint[] };
  /** Actions of this site, run by other sites: `handle.<name> = (payload, done) => ...`. */
  readonly handle: Record<string, ActionHandler>;
  /** A site (name, `{site}` or the `{host, port}` its hub listens on), to run actions on. */
  remote(
    target: SiteTarget,
    options?: { timeoutMs?: number },
  ): { run(action: string, payload: unknown, cb: RunCallback): void };
  /** The site responsible for `value` on the ring of joined sites: `cb(null, endpoint, metadata, site)`. */
  getEndpointFor(
    value: string,
    cb: (
      error: Error | null,
      endpoint?: SiteRef['endpoint'],
      metadata?: Record<string, unknown>,
      site?: string,
    ) => void,
  ): void;
  /** Whether this site is responsible for `value`. */
  isResponsibleFor(value: string): boolean;
  /** This site's successor and predecessor on the ring (undefined when alone). */
  environment(): { successor: SiteRef | undefined; predecessor: SiteRef | undefined };
  /** Run an action on the sites matching a property (seed 002); returns who was asked. */
  select(
    query: SelectQuery,
    onAnswer?: (error: Error | null, result: unknown, site: string) => void,
    onDone?: (answers: SelectAnswer[]) => void,
  ): Selection;
  /** A datagram to `site` (no answer, no delivery guarantee; `message` there); false when unreachable now. */
  send(site: string, data: unknown): boolean;
  /** A dgram-like socket whose addresses are site names. */
  socket(): RelaySocket;
  /** Actions and selections waiting for answers now. */
  pending(): number;
  on(event: StatusEvent, listener: (change: StatusChange) => void): FederationHandle;
  on(event: EnvironmentEvent, listener: EnvironmentListener): FederationHandle;
  on(event: 'message', listener: MessageListener): FederationHandle;
  once(event: StatusEvent, listener: (change: StatusChange) => void): FederationHandle;
  once(event: EnvironmentEvent, listener: EnvironmentListener): FederationHandle;
  once(event: 'message', listener: MessageListener): FederationHandle;
  off(event: FederationEvent, listener: AnyListener): FederationHandle;
  /** Stop listening, stop dialing and close every site link. */
  close(): Promise<void>;
}

/** What `federate` needs of its peers object. */
export interface FederationHost {
  /** The mesh, as the federation may see it (site-port.ts). */
  mesh: SitePort;
  site: string | undefined;
  limits: LinkLimits;
  backoff: Backoff;
  dialTimeoutMs: number;
  handshakeTimeoutMs: number;
  log: () => Logger;
  report: (peer: string, error: Error) => void;
  dial: (endpoint: Endpoint, limits: LinkLimits, signal: AbortSignal) => Promise<Link>;
  listen: ((spec: ListenSpec, limits: LinkLimits, onLink: (link: Link) => void) => Promise<Listener>) | undefined;
}

function badArgument(message: string): PeersError {
  return new PeersError(Code.BAD_ARGUMENT, `federate: ${message}`);
}

function endpointsOf(input: FederateOptions['wellKnownPeers']): SiteEndpoint[] {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  list.forEach((e, i) => {
    if (
      !e ||
      typeof e !== 'object' ||
      typeof e.host !== 'string' ||
      e.host === '' ||
      !Number.isInteger(e.port) ||
      e.port < 1 ||
      e.port > 65535
    ) {
      throw badArgument(`wellKnownPeers[${i}]: expected {host, port} with a port 1-65535, got ${JSON.stringify(e)}`);
    }
  });
  return list;
}

/** Start federating: validate, listen, dial the well-known peers. */
export async function federate(host: FederationHost, options: FederateOptions): Promise<FederationHandle> {
  const site = host.site;
  if (site === undefined)
    throw badArgument('this peers object has no site: create it with createPeers(name, { site })');
  if (!options || typeof options !== 'object') throw badArgument('expected an options object');
  const secret = options.secret === undefined ? undefined : Buffer.from(options.secret as string);
  if (secret !== undefined && secret.length < 16) throw badArgument('the shared secret must be at least 16 bytes');
  const tls = options.tls ?? {};
  const plaintext = options.plaintext === true;
  if (!secret && (!tls.ca || plaintext))
    throw badArgument('a federation needs a shared secret, or mutual TLS (tls.ca with tls.cert and tls.key)');
  if (!secret && (!tls.cert || !tls.key)) throw badArgument("mutual TLS needs this hub's own tls.cert and tls.key");
  if (!plaintext && options.listen && (!tls.cert || !tls.key))
    throw badArgument('listening for site links needs tls.cert and tls.key (or plaintext: true)');
  const peers = endpointsOf(options.wellKnownPeers);
  const log = host.log();
  if (plaintext)
    log.warn(
      { site },
      `site "${site}" federates over plain TCP: anyone on the path can read and alter the traffic between sites`,
    );

  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const emit = (event: string, ...args: unknown[]): void => {
    for (const listener of emitter.rawListeners(event)) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        host.report(
          siteRoute(site),
          new PeersError(Code.LISTENER_FAILED, `a listener of "${event}" threw: ${(error as Error)?.message}`, {
            cause: error,
          }),
        );
      }
    }
  };
  const membership = new Membership(options.settleMs ?? 1000, (change) => {
    log.debug({ site, ...change }, `site "${site}" is ${change.to}`);
    emit('status::*', change);
    emit(`status::${change.to}`, change);
    if (change.to === 'lonely') rejoin();
  });
  /** host:port -> endpoint, every hub ever learned (the current routes are empty when lonely). */
  const learned = new Map<string, SiteEndpoint>();
  const keyOf = (e: SiteEndpoint): string => `${e.host}:${e.port}`;
  for (const e of peers) learned.set(keyOf(e), { host: e.host, port: e.port });
  let closed = false;
  const federation: Federation = new Federation(
    host.mesh,
    { name: host.mesh.name, site, instance: randomBytes(8).toString('hex'), metadata: options.metadata ?? {}, secret },
    host.handshakeTimeoutMs,
    log,
    {
      changed(linked) {
        for (const known of federation.known()) if (known.endpoint) learned.set(keyOf(known.endpoint), known.endpoint);
        if (closed) return;
        membership.changed(linked);
        services.changed();
      },
    },
    options.holdDownMs ?? 1000,
  );

  let ownEndpoint: SiteEndpoint | undefined = options.advertise;
  const services = new FederationServices({
    site,
    mesh: host.mesh,
    metadata: options.metadata ?? {},
    known: () => federation.known(),
    ownEndpoint: () => ownEndpoint,
    emit,
    hopLimit: options.hopLimit ?? host.mesh.ttl,
    actionTimeoutMs: options.actionTimeoutMs ?? 30_000,
    vnodes: options.vnodes ?? 64,
  });

  let listener: Listener | undefined;
  if (options.listen) {
    if (!host.listen) throw badArgument('this build of peers has no listeners');
    const where = { host: options.listen.host ?? '127.0.0.1', port: options.listen.port };
    const spec: ListenSpec = plaintext ? { kind: 'tcp', ...where } : { kind: 'tls', ...where, tls: serverTls(tls) };
    listener = await host.listen(spec, host.limits, (link) => federation.attachIncoming(link));
    const own = options.advertise ?? { host: where.host, port: listener.port ?? where.port };
    ownEndpoint = own.host === '0.0.0.0' || own.host === '::' ? { host: '127.0.0.1', port: own.port } : own;
    federation.setEndpoint(own.host === '0.0.0.0' || own.host === '::' ? { port: own.port } : own);
  }

  const endpointOf = (peer: SiteEndpoint): Endpoint =>
    plaintext
      ? { kind: 'tcp', host: peer.host, port: peer.port }
      : { kind: 'tls', host: peer.host, port: peer.port, tls: clientTls(tls) };
  const dial = (e: Endpoint, limits: LinkLimits, signal: AbortSignal): Promise<Link> =>
    host.dial(e, limits, signal).catch((error: Error) => {
      throw certificateError(error, describeEndpoint(e));
    });
  const onError = (at: string, error: Error, repeated: boolean): void => {
    if (repeated)
      log.debug(
        { peer: at, code: (error as PeersError).code, err: error },
        `still cannot link to ${at}: ${error.message}`,
      );
    else host.report(at, error);
  };
  const connect = (endpoints: SiteEndpoint[]): Connector => {
    const connector = new Connector(
      (link) => federation.attachOutgoing(link),
      endpoints.map(endpointOf),
      host.limits,
      host.backoff,
      onError,
      host.dialTimeoutMs,
      dial,
    );
    connector.start();
    return connector;
  };
  const connectors: Connector[] = peers.map((peer) => connect([peer]));
  // Lonely again: besides the configured peers (each retrying on its own), try every hub learned
  // from the federation in turn, with backoff, until one takes us back.
  let roaming: Connector | undefined;
  const rejoin = (): void => {
    roaming?.stop();
    roaming = undefined;
    const configured = new Set(peers.map(keyOf));
    const others = [...learned.values()].filter(
      (e) => !configured.has(keyOf(e)) && !(listener && e.port === listener.port && isLocal(e.host)),
    );
    if (closed || others.length === 0) return;
    log.debug(
      { site, endpoints: others.map(keyOf) },
      `site "${site}" is lonely: trying ${others.length} learned hub(s)`,
    );
    roaming = connect(others);
  };

  let closing: Promise<void> | undefined;
  const handle: FederationHandle = {
    site,
    port: listener?.port,
    sites: () => federation.sites(),
    known: () => federation.known(),
    status: () => membership.status,
    wellKnownPeers: { get: () => [...learned.values()].map((e) => ({ ...e })) },
    handle: services.handle,
    remote: (target, remoteOptions = {}) => ({
      run: (action, payload, cb) => services.run(target, action, payload, cb, remoteOptions.timeoutMs),
    }),
    getEndpointFor: (value, cb) => services.getEndpointFor(value, cb),
    isResponsibleFor: (value) => services.isResponsibleFor(value),
    environment: () => services.environment(),
    select: (query, onAnswer, onDone) => services.select(query, onAnswer, onDone),
    send: (to, data) => services.send(to, data),
    socket: () => services.socket(),
    pending: () => services.pending(),
    on(event: string, fn: (...args: never[]) => void) {
      emitter.on(event, fn as (...args: unknown[]) => void);
      return handle;
    },
    once(event: string, fn: (...args: never[]) => void) {
      emitter.once(event, fn as (...args: unknown[]) => void);
      return handle;
    },
    off(event: string, fn: (...args: never[]) => void) {
      emitter.off(event, fn as (...args: unknown[]) => void);
      return handle;
    },
    neighbours: () => federation.neighbours().map(({ site: s, name, metadata }) => ({ site: s, name, metadata })),
    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        membership.close();
        services.close();
        roaming?.stop();
        for (const c of connectors) c.stop();
        federation.close();
        await listener?.close();
      })();
      return closing;
    },
  };
  return handle;
}

function isLocal(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

function serverTls(tls: NonNullable<FederateOptions['tls']>): TlsOptions {
  const out: TlsOptions = { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.3' };
  if (tls.ca) Object.assign(out, { ca: tls.ca, requestCert: true, rejectUnauthorized: true });
  return out;
}

function clientTls(tls: NonNullable<FederateOptions['tls']>): Record<string, unknown> {
  const out: Record<string, unknown> = { minVersion: 'TLSv1.3' };
  if (tls.cert && tls.key) Object.assign(out, { cert: tls.cert, key: tls.key });
  // Without a CA the certificate cannot be verified; the secret proofs, bound to this TLS
  // session, authenticate the other hub instead.
  if (tls.ca) Object.assign(out, { ca: tls.ca, rejectUnauthorized: true });
  else out.rejectUnauthorized = false;
  return out;
}
