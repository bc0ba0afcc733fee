/**
 * The federation layer's public face, also published as `@weble/peers-core/federation`: the types
 * of `peers.federate(options)` and its handle, the `federation` module a hub shares with its local
 * peers, and the consistent-hashing ring and duplicate window that programs of a site reuse.
 * The main entry re-exports all of it.
 */
export type {
  FederateOptions,
  FederationHandle,
  FederationEvent,
  StatusEvent,
  EnvironmentEvent,
  SiteEndpoint,
  Status,
  StatusChange,
  KnownSite,
  SiteRef,
  SiteTarget,
  SelectQuery,
  SelectAnswer,
  Selection,
  ActionHandler,
  ActionDone,
  RunCallback,
  RelaySocket,
  RelayAddress,
} from './federate.js';
export { HashRing, ringHash, DEFAULT_VNODES } from './hash-ring.js';
export { DedupWindow } from './dedup-window.js';
export { federationModule, type FederationModule } from './federation-module.js';
