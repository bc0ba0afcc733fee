/**
 * Types of @weble/peers-core used in this package's public API, derived from what its CommonJS
 * declarations export (they declare `Peers`, `PeersOptions`... but not `Backoff`,
 * `BackoffOptions` or `EndpointInput`), so CommonJS users of the kit get real types, not `any`.
 */
import type { Peers, exponentialBackoff } from '@weble/peers-core';

/** Delay before retry number `attempt` (0-based), ms: peers-core's `Backoff`. */
export type Backoff = ReturnType<typeof exponentialBackoff>;

/** Options of peers-core's `exponentialBackoff` (`initialMs`, `maxMs`, `factor`, `jitter`). */
export type BackoffOptions = NonNullable<Parameters<typeof exponentialBackoff>[0]>;

/** Where the hub listens: what `peers.connect` takes (a UNIX socket path, `tcp://host:port`, a list). */
export type HubEndpoint = Parameters<Peers['connect']>[0];
