/**
 * The `federation` module a federated hub shares with its local peers (the supervisor shares it
 * on `supervision`): `peers('supervision').require('federation')` gives the membership status,
 * the hubs learned so far, the sites reachable now, responsibility, actions on other sites,
 * selection by property and datagrams, and actions of this site served by local peers (`handle`);
 * it forwards the events `status::*`, `status::<status>`,
 * `environment::*`, `environment::successor`, `environment::predecessor` and `message`.
 */
import { EventEmitter } from 'node:events';
import type { ActionHandler } from './actions.js';
import { Code, PeersError } from '../errors.js';
import type {
  FederationHandle,
  KnownSite,
  SelectAnswer,
  SelectQuery,
  SiteEndpoint,
  SiteRef,
  SiteTarget,
  Status,
} from './federate.js';

type Callback<T> = (error: Error | null, result?: T) => void;

/** The shared object: methods take a callback last. */
export interface FederationModule extends EventEmitter {
  /** `lonely`, `unbalanced` or `joined`. */
  status(cb: Callback<Status>): void;
  /** The hubs learned so far (configured and advertised), to persist and reuse. */
  wellKnownPeers(cb: Callback<SiteEndpoint[]>): void;
  /** Every site reachable now: site, path, endpoint, metadata, hub. */
  sites(cb: Callback<KnownSite[]>): void;
  /** This hub's site. */
  site(cb: Callback<string>): void;
  /** `cb(null, endpoint, metadata, site)` of the site responsible for `value`. */
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
  isResponsibleFor(value: string, cb: Callback<boolean>): void;
  /** This site's successor and predecessor on the ring. */
  environment(cb: Callback<{ successor: SiteRef | undefined; predecessor: SiteRef | undefined }>): void;
  /** Run `handle/<name>` on a site (name, `{site}` or `{host, port}`); errors come back as errors. */
  run(target: SiteTarget, action: string, payload: unknown, cb: Callback<unknown>): void;
  /** Run an action on the sites matching a property; `cb` once every answer came or timed out. */
  select(
    query: SelectQuery,
    cb: Callback<{ asked: string[]; answers: Array<{ site: string; error?: Error; result?: unknown }> }>,
  ): void;
  /** A datagram to a site (its federation's `message` event); `cb(null, false)` when unreachable now. */
  send(site: string, data: unknown, cb: Callback<boolean>): void;
  /**
   * Serve the action `handle/<name>` of this site from a local peer: a run calls that peer's shared
   * `module.method(payload, cb)` (method default: the action's name) and answers with its result or
   * error. Dropped when that peer leaves the mesh. Refused for an action the hub itself serves.
   */
  handle(name: string, target: ActionTarget, cb: Callback<true>): void;
  /** Stop serving `handle/<name>` from a local peer. `cb(null, false)` when it was not. */
  unhandle(name: string, cb: Callback<boolean>): void;
}

/** Where a local peer serves an action: its name, a module it shares, the method (default: the action's name). */
export interface ActionTarget {
  peer: string;
  module: string;
  method?: string;
}

/** What serving actions from local peers needs of the hub's peers object. */
export interface LocalPeers {
  (name: string): { call(module: string, method: string, args: unknown[]): Promise<unknown[]> };
  on(event: 'disconnect', listener: (name: string) => void): unknown;
}

const ACTION_NAME = /^[A-Za-z0-9_.:~-]{1,64}$/;

const FORWARDED = [
  'status::*',
  'environment::*',
  'environment::successor',
  'environment::predecessor',
  'message',
] as const;

/**
 * Make the module of a running federation (share it as `federation`, to local peers only). With
 * `peers` (the hub's peers object), local peers may serve actions of the site (`handle`).
 */
export function federationModule(federation: FederationHandle, peers?: LocalPeers): FederationModule {
  /** Actions served by local peers: name -> the handler installed for it (to remove only our own). */
  const served = new Map<string, { peer: string; handler: ActionHandler }>();
  peers?.on('disconnect', (name) => {
    for (const [action, entry] of served) if (entry.peer === name) unserve(action);
  });
  const unserve = (action: string): boolean => {
    const entry = served.get(action);
    if (!entry) return false;
    served.delete(action);
    if (federation.handle[action] === entry.handler) delete federation.handle[action];
    return true;
  };
  const serve = (name: unknown, target: unknown): void => {
    if (!peers)
      throw new PeersError(Code.BAD_ARGUMENT, `federation.handle: this hub does not serve actions from local peers`);
    if (typeof name !== 'string' || !ACTION_NAME.test(name))
      throw new PeersError(
        Code.BAD_ARGUMENT,
        `federation.handle: expected an action name (1-64 letters, digits, _ . : ~ -), got ${JSON.stringify(name)}`,
      );
    const t = target as Partial<ActionTarget> | null;
    if (
      typeof t !== 'object' ||
      t === null ||
      typeof t.peer !== 'string' ||
      typeof t.module !== 'string' ||
      (t.method !== undefined && typeof t.method !== 'string')
    ) {
      throw new PeersError(
        Code.BAD_ARGUMENT,
        `federation.handle("${name}"): expected { peer, module, method? } strings, got ${JSON.stringify(target)}`,
      );
    }
    if (t.peer.includes('@'))
      throw new PeersError(
        Code.BAD_ARGUMENT,
        `federation.handle("${name}"): the peer must be a local one, got "${t.peer}"`,
      );
    const existing = federation.handle[name];
    if (existing && served.get(name)?.handler !== existing)
      throw new PeersError(Code.BAD_ARGUMENT, `federation.handle("${name}"): the hub itself serves handle/${name}`);
    const { peer, module: moduleName } = t;
    const method = t.method ?? name;
    const handler: ActionHandler = (payload, done) => {
      peers(peer)
        .call(moduleName, method, [payload])
        .then(
          (results) => done(null, results[0]),
          (error: Error) => done(error),
        );
    };
    served.set(name, { peer, handler });
    federation.handle[name] = handler;
  };
  const module = createModule(federation);
  return Object.assign(module, {
    handle: (name: string, target: ActionTarget, cb: Callback<true>) => {
      try {
        serve(name, target);
      } catch (error) {
        return cb(error as Error);
      }
      cb(null, true);
    },
    unhandle: (name: string, cb: Callback<boolean>) => cb(null, typeof name === 'string' && unserve(name)),
  });
}

function createModule(federation: FederationHandle) {
  const guard = <T>(cb: Callback<T>, f: () => T): void => {
    let value: T;
    try {
      value = f();
    } catch (error) {
      cb(error as Error);
      return;
    }
    cb(null, value);
  };
  const module = Object.assign(new EventEmitter(), {
    status: (cb: Callback<Status>) => cb(null, federation.status()),
    wellKnownPeers: (cb: Callback<SiteEndpoint[]>) => cb(null, federation.wellKnownPeers.get()),
    sites: (cb: Callback<KnownSite[]>) => cb(null, federation.known()),
    site: (cb: Callback<string>) => cb(null, federation.site),
    getEndpointFor: (value: string, cb: Parameters<FederationHandle['getEndpointFor']>[1]) =>
      federation.getEndpointFor(value, cb),
    isResponsibleFor: (value: string, cb: Callback<boolean>) => guard(cb, () => federation.isResponsibleFor(value)),
    environment: (cb: Callback<ReturnType<FederationHandle['environment']>>) => cb(null, federation.environment()),
    run: (target: SiteTarget, action: string, payload: unknown, cb: Callback<unknown>) =>
      federation.remote(target).run(action, payload, cb),
    select(query: SelectQuery, cb: Callback<{ asked: string[]; answers: SelectAnswer[] }>): void {
      let asked: string[] = [];
      try {
        asked = [...federation.select(query, undefined, (answers) => cb(null, { asked, answers })).asked];
      } catch (error) {
        cb(error as Error);
      }
    },
    send: (site: string, data: unknown, cb: Callback<boolean>) => guard(cb, () => federation.send(site, data)),
  });
  module.setMaxListeners(0);
  for (const event of FORWARDED) {
    federation.on(event as 'message', (...args: unknown[]) => {
      module.emit(event, ...args);
      if (event === 'status::*') module.emit(`status::${(args[0] as { to: string }).to}`, args[0]);
    });
  }
  return module;
}
