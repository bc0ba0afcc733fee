/**
 * The `federation` module a federated hub shares with its local peers (the supervisor shares it
 * on `supervision`): `peers('supervision').require('federation')` gives the membership status,
 * the hubs learned so far and the sites reachable now, and forwards the `status::*` events.
 */
import { EventEmitter } from 'node:events';
import type { FederationHandle, KnownSite, SiteEndpoint, Status } from './federate.js';

type Callback<T> = (error: Error | null, result?: T) => void;

/** The shared object: methods take a callback last; events `status::*`, `status::<status>` with `{from, to}`. */
export interface FederationModule extends EventEmitter {
  /** `lonely`, `unbalanced` or `joined`. */
  status(cb: Callback<Status>): void;
  /** The hubs learned so far (configured and advertised), to persist and reuse. */
  wellKnownPeers(cb: Callback<SiteEndpoint[]>): void;
  /** Every site reachable now: site, path, endpoint, metadata. */
  sites(cb: Callback<KnownSite[]>): void;
  /** This hub's site. */
  site(cb: Callback<string>): void;
}

/** Make the module of a running federation (share it as `federation`). */
export function federationModule(federation: FederationHandle): FederationModule {
  const module = Object.assign(new EventEmitter(), {
    status: (cb: Callback<Status>) => cb(null, federation.status()),
    wellKnownPeers: (cb: Callback<SiteEndpoint[]>) => cb(null, federation.wellKnownPeers.get()),
    sites: (cb: Callback<KnownSite[]>) => cb(null, federation.known()),
    site: (cb: Callback<string>) => cb(null, federation.site),
  });
  module.setMaxListeners(0);
  federation.on('status::*', (change) => {
    module.emit('status::*', change);
    module.emit(`status::${change.to}`, change);
  });
  return module;
}
