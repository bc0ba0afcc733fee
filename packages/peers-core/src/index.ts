/**
 * @weble/peers-core: share modules and events between processes as if they lived in one.
 *
 * The default export is the factory: `require('@weble/peers-core')('myName')` in CommonJS,
 * `import createPeers from '@weble/peers-core'` in ESM.
 */
import { createPeers } from './create-peers.js';

export { createPeers } from './create-peers.js';
export type { Peers, PeersOptions, ConnectOptions, AcceptWebSocketOptions } from './create-peers.js';
export type { RemotePeer, ModuleProxy, ModuleEvents, RemoteMethod, Callback } from './api/remote-peer.js';
export type { ShareFilter, ModuleDescription } from './mesh/module-registry.js';
export type { Authenticate, Hello } from './mesh/handshake.js';
export type { MayAnnounce, RemoteEmitPolicy } from './mesh/trust.js';
export * from './federation/index.js';
export type { Listener } from './link/listener.js';
export type { EndpointInput, ListenInput } from './link/endpoint.js';
export type { Logger } from './logger.js';
export { Code, CodedError, PeersError, type ErrorCode } from './errors.js';
export { encode, decode, findUnserializable } from './codec/messagepack.js';
export { FrameDecoder, frameHeader, DEFAULT_MAX_FRAME_BYTES } from './codec/frame-decoder.js';
export { exponentialBackoff, type Backoff, type BackoffOptions } from './link/backoff.js';
export { PROTOCOL_VERSION, NAME_PATTERN, SITE_PATTERN } from './codec/wire.js';

export default createPeers;
