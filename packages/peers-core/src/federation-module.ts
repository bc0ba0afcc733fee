/**
 * The `federation` module a federated hub shares with its local peers (the supervisor shares it
 * on `supervision`): `peers('supervision').require('federation')` gives the membership status,
 * the hubs learned so far, the sites reachable now, responsibility, actions on other sites,
 * selection by property and datagrams; it forwards the events `status::*`, `status::<status>`,
 * `environment::*`, `environment::successor`, `environment::predecessor` and `message`.
 */
import { EventEmitter } from 'node:events';
import type { FederationHandle, KnownSite, SelectAnswer, SelectQuery, SiteEndpoint, SiteRef, SiteTarget, Status } from './federate.js';

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
  getEndpointFor(value: string, cb: (error: Error | null, endpoint?: SiteRef['endpoint'], metadata?: Record<string, unknown>, site?: string) => void): void;
  /** Whether this site is responsible for `value`. */
  isResponsibleFor(value: string, cb: Callback<boolean>): void;
  /** This site's successor and predecessor on the ring. */
  environment(cb: Callback<{ successor: SiteRef | undefined; predecessor: SiteRef | undefined }>): void;
  /** Run `handle/<name>` on a site (name, `{site}` or `{host, port}`); errors come back as errors. */
  run(target: SiteTarget, action: string, payload: unknown, cb: Callback<unknown>): void;
  /** Run an action on the sites matching a property; `cb` once every answer came or timed out. */
  select(query: SelectQuery, cb: Callback<{ asked: string[]; answers: Array<{ site: string; error?: Error; result?: unknown }> }>): void;
  /** A datagram to a site (its federation's `message` event); `cb(null, false)` when unreachable now. */
  send(site: string, data: unknown, cb: Callback<boolean>): void;
}

const FORWARDED = ['status::*', 'environment::*', 'environment::successor', 'environment::predecessor', 'message'] as const;

/** Make the module of a running federation (share it as `federation`). */
export function federationModule(federation: FederationHandle): FederationModule {
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
    getEndpointFor: (value: string, cb: Parameters<FederationHandle['getEndpointFor']>[1]) => federation.getEndpointFor(value, cb),
    isResponsibleFor: (value: string, cb: Callback<boolean>) => guard(cb, () => federation.isResponsibleFor(value)),
    environment: (cb: Callback<ReturnType<FederationHandle['environment']>>) => cb(null, federation.environment()),
    run: (target: SiteTarget, action: string, payload: unknown, cb: Callback<unknown>) => federation.remote(target).run(action, payload, cb),
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
