/**
 * @weble/peers-core/core: the peers object without transports, for bundles that bring their own
 * (a browser's WebSocket). Imports neither node:net, node:tls, ws nor pino; it still needs
 * `Buffer`, `process.nextTick` and an `events`-compatible `EventEmitter`, which a browser bundle
 * provides with shims.
 */
export { createPeersCore } from './api/create-peers-core.js';
export type {
  Peers,
  PeersOptions,
  PeersCoreOptions,
  Transports,
  Dial,
  ConnectOptions,
  AcceptWebSocketOptions,
} from './api/create-peers-core.js';
export type { RemotePeer, ModuleProxy, ModuleEvents, RemoteMethod, Callback } from './api/remote-peer.js';
export type { Link, LinkLimits, LinkKind } from './link/link.js';
export { DEFAULT_MAX_BUFFERED_BYTES } from './link/link.js';
export {
  SocketLink,
  MessageChannel,
  maxPayloadFor,
  CONNECTING,
  OPEN,
  CLOSED,
  type SocketLike,
} from './link/message-channel.js';
export { FramedLink } from './link/framed-link.js';
export type { ByteChannel, ChannelEvents } from './link/byte-channel.js';
export { dialWithAbort, type DialAttempt } from './link/dial-with-abort.js';
export { StreamChannel, type StreamSocket } from './link/stream-channel.js';
export { dialStream, type StreamEndpoint, type OpeningSocket, type OpenStreamSocket } from './link/stream-dial.js';
export { describeEndpoint, type Endpoint, type WsEndpoint, type EndpointInput } from './link/endpoint.js';
export type { Logger } from './logger.js';
export { Code, CodedError, PeersError, type ErrorCode } from './errors.js';
export { FrameDecoder, DEFAULT_MAX_FRAME_BYTES, HEADER_BYTES, type FrameHandler } from './codec/frame-decoder.js';
export { exponentialBackoff, type Backoff, type BackoffOptions } from './link/backoff.js';
