/**
 * What a federation offers besides routes (docs/federation.md): responsibility by consistent
 * hashing with `environment::*` events (seed 003), actions and their remote runs (003),
 * selection of sites by property (002), datagrams and dgram-like sockets (004). Built on the
 * site directory (`known()`), the hub's calls and its DATAGRAM messages.
 */
import {
  ACTIONS_MODULE,
  actionName,
  actionsModule,
  runLocal,
  type ActionHandler,
  type RunCallback,
} from './actions.js';
import { Datagrams, type DatagramSource } from './datagrams.js';
import { Code, PeersError } from '../errors.js';
import type { KnownSite } from './site-links.js';
import type { SitePort } from '../mesh/site-port.js';
import { RelaySocket } from './relay-socket.js';
import { Responsibility } from './responsibility.js';
import { choose, type Candidate, type SelectCount } from './selection.js';
import { isQualified, qualified } from '../codec/address.js';

/** Another site as the API shows it: its name, where its hub listens, its metadata. */
export interface SiteRef {
  site: string;
  endpoint: { host: string; port: number } | undefined;
  metadata: Record<string, unknown>;
}

/** A site to run an action on: its name, `{site}`, or the `{host, port}` its hub listens on. */
export type SiteTarget = string | { site: string } | { host: string; port: number };

/** `select`: which sites, and what to run on them. */
export interface SelectQuery {
  /** How many matching sites, picked at random; `'all'` or 0 for every one. Default `'all'`. */
  count?: SelectCount;
  /** `site`, `state` (`linked` / `relayed`), `hops`, or a metadata key (`a.b` looks inside). */
  prop: string;
  /** The value to match (strings case-insensitively); an array matches any of its values. */
  value: unknown;
  /** The action run on each chosen site: `handle/<name>`. */
  action: string;
  payload?: unknown;
  /** Each site's answer is awaited this long, ms. Default: the federation's `actionTimeoutMs`. */
  timeoutMs?: number;
}

/** One site's answer to a selection. */
export interface SelectAnswer {
  site: string;
  error?: Error;
  result?: unknown;
}

/** A running selection: who was asked, who has not answered yet. */
export interface Selection {
  readonly asked: readonly string[];
  /** The sites still waited for; empty once every answer came or timed out. */
  waiting(): string[];
}

/** What the services need of their federation. */
export interface ServicesHost {
  readonly site: string;
  /** The mesh, as the federation may see it. */
  readonly mesh: SitePort;
  readonly metadata: Record<string, unknown>;
  known(): KnownSite[];
  ownEndpoint(): { host: string; port: number } | undefined;
  emit(event: string, ...args: unknown[]): void;
  /** Hop limit of datagrams. */
  readonly hopLimit: number;
  /** Default time a run waits for its answer, ms. */
  readonly actionTimeoutMs: number;
  /** Points per site on the ring. */
  readonly vnodes: number;
}

const FIRST_EPHEMERAL = 49152;

export class FederationServices {
  /** Actions of this site: `handle.<name> = (payload, done) => ...`. */
  readonly handle: Record<string, ActionHandler> = {};
  readonly responsibility: Responsibility;
  readonly datagrams: Datagrams;
  private readonly ports = new Map<number, RelaySocket>();
  private nextPort = FIRST_EPHEMERAL;
  private running = 0;

  constructor(private readonly host: ServicesHost) {
    this.responsibility = new Responsibility(host.site, host.vnodes);
    this.datagrams = new Datagrams(
      {
        site: host.site,
        sendRaw: (to, ttl, body) => host.mesh.sendDatagram(to, ttl, body),
        hubOf: (site) => host.known().find((k) => k.site === site)?.hub,
        deliver: (data, from, toPort) => this.deliver(data, from, toPort),
      },
      host.hopLimit,
    );
    host.mesh.onDatagram((from, env) => this.datagrams.receive(from, env));
    // Only other sites' hubs run actions this way; local code uses the handle.
    host.mesh.share(ACTIONS_MODULE, actionsModule(this.handle, host.site), (caller) => isQualified(caller));
  }

  // ---- responsibility ------------------------------------------------------------------------

  /** Sites came or went: rebuild the ring, tell `environment::*` listeners what moved. */
  changed(): void {
    for (const change of this.responsibility.update(this.host.known().map((k) => k.site))) {
      const ref = change.site === undefined ? undefined : this.refOf(change.site);
      this.host.emit(`environment::${change.which}`, ref);
      this.host.emit('environment::*', ref, change.which);
    }
  }

  /** A site as the API shows it (this one included). */
  refOf(site: string): SiteRef {
    if (site === this.host.site) return { site, endpoint: this.host.ownEndpoint(), metadata: this.host.metadata };
    const k = this.host.known().find((s) => s.site === site);
    return { site, endpoint: k?.endpoint, metadata: k?.metadata ?? {} };
  }

  /** `cb(null, endpoint, metadata, site)` of the site responsible for `value` (a string). */
  getEndpointFor(
    value: string,
    cb: (
      error: Error | null,
      endpoint?: SiteRef['endpoint'],
      metadata?: Record<string, unknown>,
      site?: string,
    ) => void,
  ): void {
    if (typeof value !== 'string') {
      process.nextTick(
        cb,
        new PeersError(Code.BAD_ARGUMENT, `getEndpointFor: expected a string value, got ${typeof value}`),
      );
      return;
    }
    const ref = this.refOf(this.responsibility.ownerOf(value));
    process.nextTick(cb, null, ref.endpoint, ref.metadata, ref.site);
  }

  isResponsibleFor(value: string): boolean {
    if (typeof value !== 'string')
      throw new PeersError(Code.BAD_ARGUMENT, `isResponsibleFor: expected a string value, got ${typeof value}`);
    return this.responsibility.isResponsibleFor(value);
  }

  /** This site's successor and predecessor on the ring (undefined when alone). */
  environment(): { successor: SiteRef | undefined; predecessor: SiteRef | undefined } {
    const { successor, predecessor } = this.responsibility.neighbours();
    return {
      successor: successor === undefined ? undefined : this.refOf(successor),
      predecessor: predecessor === undefined ? undefined : this.refOf(predecessor),
    };
  }

  // ---- actions -------------------------------------------------------------------------------

  /** The site a target names, or a coded error. */
  siteOf(target: SiteTarget): string | PeersError {
    if (typeof target === 'string') return target;
    if (target && typeof target === 'object' && 'site' in target && typeof target.site === 'string') return target.site;
    if (
      target &&
      typeof target === 'object' &&
      'host' in target &&
      typeof target.host === 'string' &&
      Number.isInteger(target.port)
    ) {
      const same = (e: { host: string; port: number } | undefined): boolean =>
        e !== undefined &&
        e.port === target.port &&
        (e.host === target.host || (isLoopback(e.host) && isLoopback(target.host)));
      if (same(this.host.ownEndpoint())) return this.host.site;
      const found = this.host.known().find((k) => same(k.endpoint));
      if (found) return found.site;
      return new PeersError(
        Code.PEER_DISCONNECTED,
        `no site reachable from "${this.host.site}" listens at ${target.host}:${target.port}`,
      );
    }
    return new PeersError(
      Code.BAD_ARGUMENT,
      `remote: expected a site name, {site} or {host, port}, got ${JSON.stringify(target)}`,
    );
  }

  /** Run `handle/<name>` on a site; `cb` runs exactly once (ETIMEDOUT after `timeoutMs`). */
  run(
    target: SiteTarget,
    action: string,
    payload: unknown,
    cb: RunCallback,
    timeoutMs = this.host.actionTimeoutMs,
  ): void {
    if (typeof cb !== 'function') throw new PeersError(Code.BAD_ARGUMENT, 'run: expected a callback');
    let name: string;
    try {
      name = actionName(action);
    } catch (error) {
      process.nextTick(cb, error);
      return;
    }
    const site = this.siteOf(target);
    if (site instanceof PeersError) {
      process.nextTick(cb, site);
      return;
    }
    this.running++;
    const done: RunCallback = (error, result) => {
      this.running--;
      cb(error, result);
    };
    if (site === this.host.site) {
      runLocal(this.handle, site, name, payload, timeoutMs, done);
      return;
    }
    const hub = this.host.known().find((k) => k.site === site)?.hub;
    if (hub === undefined) {
      process.nextTick(
        done,
        new PeersError(
          Code.PEER_DISCONNECTED,
          `run ${action}: site "${site}" is not reachable from "${this.host.site}"`,
        ),
      );
      return;
    }
    this.host.mesh.call(qualified(hub, site), ACTIONS_MODULE, 'run', [name, payload], timeoutMs, (error, results) =>
      done(error, results[0]),
    );
  }

  /**
   * Run an action on the sites whose `prop` matches `value` (`count` of them at random, or all),
   * other than this one. `onAnswer(error, result, site)` once per site asked (ETIMEDOUT after
   * `timeoutMs`), then `onDone(answers)`. Returns who was asked.
   */
  select(
    query: SelectQuery,
    onAnswer?: (error: Error | null, result: unknown, site: string) => void,
    onDone?: (answers: SelectAnswer[]) => void,
  ): Selection {
    if (!query || typeof query !== 'object' || typeof query.prop !== 'string' || query.prop === '') {
      throw new PeersError(Code.BAD_ARGUMENT, `select: expected {prop, value, action}, got ${JSON.stringify(query)}`);
    }
    actionName(query.action);
    const count = query.count ?? 'all';
    if (count !== 'all' && (typeof count !== 'number' || !Number.isFinite(count)))
      throw new PeersError(Code.BAD_ARGUMENT, `select: count must be a number or "all", got ${JSON.stringify(count)}`);
    const candidates: Candidate[] = this.host
      .known()
      .map((k) => ({ site: k.site, hops: k.path.length, metadata: k.metadata }));
    const asked = choose(candidates, count, query.prop, query.value).map((c) => c.site);
    const waiting = new Set(asked);
    const answers: SelectAnswer[] = [];
    const finish = (): void => {
      if (waiting.size === 0) onDone?.(answers);
    };
    for (const site of asked) {
      this.run(
        site,
        query.action,
        query.payload,
        (error, result) => {
          waiting.delete(site);
          answers.push(error ? { site, error } : { site, result });
          onAnswer?.(error, result, site);
          finish();
        },
        query.timeoutMs ?? this.host.actionTimeoutMs,
      );
    }
    if (asked.length === 0) process.nextTick(finish);
    return { asked, waiting: () => [...waiting] };
  }

  /** Runs waiting for an answer now (actions and selections). */
  pending(): number {
    return this.running;
  }

  // ---- datagrams -----------------------------------------------------------------------------

  /** Send `data` to `site` (no answer, no delivery guarantee); false when the site is unreachable now. */
  send(site: string, data: unknown): boolean {
    if (typeof site !== 'string' || site === '')
      throw new PeersError(Code.BAD_ARGUMENT, `send: expected a site name, got ${JSON.stringify(site)}`);
    return this.datagrams.send(site, data);
  }

  /** A dgram-like socket on this federation (`bind`, `send(buf, off, len, port, site)`, `message`...). */
  socket(): RelaySocket {
    return new RelaySocket({
      site: this.host.site,
      bindPort: (port, socket) => this.bindPort(port, socket),
      releasePort: (port, socket) => {
        if (this.ports.get(port) === socket) this.ports.delete(port);
      },
      sendBytes: (site, data, toPort, fromPort) => this.datagrams.send(site, data, toPort, fromPort),
    });
  }

  private bindPort(port: number, socket: RelaySocket): number {
    if (port !== 0) {
      if (this.ports.has(port))
        throw new PeersError(Code.ADDRESS_IN_USE, `relay port ${port} of site "${this.host.site}" is already bound`);
      this.ports.set(port, socket);
      return port;
    }
    for (let i = 0; i < 65536 - FIRST_EPHEMERAL; i++) {
      const p = this.nextPort;
      this.nextPort = p >= 65535 ? FIRST_EPHEMERAL : p + 1;
      if (!this.ports.has(p)) {
        this.ports.set(p, socket);
        return p;
      }
    }
    throw new PeersError(Code.ADDRESS_IN_USE, `no free relay port left on site "${this.host.site}"`);
  }

  private deliver(data: unknown, from: DatagramSource, toPort: number): void {
    if (toPort === 0) {
      this.host.emit('message', data, from.site);
      return;
    }
    const socket = this.ports.get(toPort);
    if (socket && data instanceof Uint8Array) socket.receive(data, from);
  }

  /** Stop serving actions and datagrams; close every socket. */
  close(): void {
    this.host.mesh.unshare(ACTIONS_MODULE);
    this.host.mesh.onDatagram(undefined);
    for (const socket of [...this.ports.values()]) socket.close();
  }
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
