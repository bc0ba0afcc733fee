/**
 * @weble/peers-core: share modules and events between processes as if they lived in one.
 *
 * The default export is the factory: `require('@weble/peers-core')('myName')` in CommonJS,
 * `import createPeers from '@weble/peers-core'` in ESM.
 */
import { createPeers } from './peers.js';

export { createPeers } from './peers.js';
export type { Peers, PeersOptions, ConnectOptions, AcceptWebSocketOptions } from './peers.js';
export type { RemotePeer, ModuleProxy, ModuleEvents, RemoteMethod, Callback } from './remote-peer.js';
export type { ShareFilter, ModuleDescription } from './modules.js';
export type { Authenticate, Hello } from './handshake.js';
export type { MayAnnounce, RemoteEmitPolicy } from './trust.js';
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
export { HashRing, ringHash, DEFAULT_VNODES } from './ring.js';
export { DedupWindow } from './dedup-window.js';
export { federationModule, type FederationModule } from './federation-module.js';
export type { Listener } from './transports/net.js';
export type { EndpointInput, ListenInput } from './transports/endpoint.js';
export type { Logger } from './mesh.js';
export { Code, PeersError, type ErrorCode } from './errors.js';
export { encode, decode, findUnserializable } from './codec.js';
export { FrameDecoder, frameHeader, DEFAULT_MAX_FRAME_BYTES } from './frame-decoder.js';
export { exponentialBackoff, type Backoff, type BackoffOptions } from './backoff.js';
export { PROTOCOL_VERSION, NAME_PATTERN, SITE_PATTERN } from './wire.js';

export default createPeers;
