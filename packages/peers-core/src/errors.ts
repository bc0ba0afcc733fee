/**
 * Every error the mesh raises, declared once. Each code is documented in the package README
 * (a test checks that), and every message names what was wrong and where.
 */
export const Code = {
  /** A frame's declared length is over the link's `maxFrameBytes`. The link is closed. */
  FRAME_TOO_LARGE: 'PEERS_FRAME_TOO_LARGE',
  /** A frame could not be decoded, or decoded to something that is not a peers message. */
  BAD_FRAME: 'PEERS_BAD_FRAME',
  /** The stream ended in the middle of a frame. */
  TRUNCATED_FRAME: 'PEERS_TRUNCATED_FRAME',
  /** The other side spoke before or without a valid hello/welcome. */
  HANDSHAKE_FAILED: 'PEERS_HANDSHAKE_FAILED',
  /** The hello carried a protocol version this peer does not speak. */
  VERSION_MISMATCH: 'PEERS_VERSION_MISMATCH',
  /** The name is already used somewhere in the mesh. */
  NAME_TAKEN: 'PEERS_NAME_TAKEN',
  /** The name does not match the allowed pattern. */
  INVALID_NAME: 'PEERS_INVALID_NAME',
  /** The listener's `authenticate` hook refused the hello. */
  UNAUTHORIZED: 'PEERS_UNAUTHORIZED',
  /** The link did not answer heartbeats in time. */
  HEARTBEAT_TIMEOUT: 'PEERS_HEARTBEAT_TIMEOUT',
  /** The other side stopped reading: its send buffer passed `maxBufferedBytes`. */
  SLOW_CONSUMER: 'PEERS_SLOW_CONSUMER',
  /** No route to the named peer, or the route dropped while a call was pending. */
  PEER_DISCONNECTED: 'PEER_DISCONNECTED',
  /** A call got no answer within its timeout. */
  TIMEOUT: 'ETIMEDOUT',
  /** The peer has no shared module of that name. */
  UNKNOWN_MODULE: 'PEERS_UNKNOWN_MODULE',
  /** The module has no method of that name. */
  UNKNOWN_METHOD: 'PEERS_UNKNOWN_METHOD',
  /** The module's share filter refused the caller. */
  FORBIDDEN: 'PEERS_FORBIDDEN',
  /** A value cannot be sent (a function, a cycle, a symbol...). */
  NOT_SERIALIZABLE: 'PEERS_NOT_SERIALIZABLE',
  /** A shared method called its callback more than once; later calls are dropped. */
  CALLBACK_TWICE: 'PEERS_CALLBACK_TWICE',
  /** A shared method threw synchronously or its promise rejected with a non-Error. */
  METHOD_FAILED: 'PEERS_METHOD_FAILED',
  /** A local listener of a remote event threw. */
  LISTENER_FAILED: 'PEERS_LISTENER_FAILED',
  /** A message went round more hops than the hop limit allows. */
  HOP_LIMIT: 'PEERS_HOP_LIMIT',
  /** A message claimed a sender name that is not behind the link it came from. */
  SPOOFED_SENDER: 'PEERS_SPOOFED_SENDER',
  /** An endpoint string or listen option could not be understood. */
  BAD_ENDPOINT: 'PEERS_BAD_ENDPOINT',
  /** A UNIX socket path is served by another live process. */
  ADDRESS_IN_USE: 'PEERS_ADDRESS_IN_USE',
  /** The peers object was closed. */
  CLOSED: 'PEERS_CLOSED',
  /** Bad arguments to an API call. */
  BAD_ARGUMENT: 'PEERS_BAD_ARGUMENT',
  /** Federation: the other site did not prove the shared secret. The dialer stops retrying it. */
  WRONG_SECRET: 'PEERS_WRONG_SECRET',
  /** Federation: the site name is ours, or already linked / known in the federation as another hub. */
  SITE_TAKEN: 'PEERS_SITE_TAKEN',
  /** Federation: TLS refused the other side's certificate (the TLS reason follows). The dialer stops retrying it. */
  CERT_REJECTED: 'PEERS_CERT_REJECTED',
  /**
   * A link announced a name it does not speak for (not its own, not one its hub may relay), or more
   * names than `maxRoutesPerLink`. The names are refused; the link stays.
   */
  NOT_ENTITLED: 'PEERS_NOT_ENTITLED',
  /** A remote peer emitted an event on this peer's emitter that the owner keeps to itself (`remoteEmit` policy). */
  EMIT_REFUSED: 'PEERS_EMIT_REFUSED',
  /** Unfinished frames of all links together went over `maxUnfinishedBytes`; the link that pushed them over is closed. */
  BUFFER_BUDGET: 'PEERS_BUFFER_BUDGET',
  /** Federation: the site has no action of that name (`handle.<name>`). */
  UNKNOWN_ACTION: 'PEERS_UNKNOWN_ACTION',
} as const;

export type ErrorCode = (typeof Code)[keyof typeof Code];

/**
 * The base of every coded error of Weble's packages: `code` is one of the package's documented
 * constants (each package lists them in its README, and a test checks that every one is there),
 * `name` the subclass's. The code travels over the mesh with the error (codec/messagepack.ts).
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** The one error class of the mesh. `code` is one of {@link Code}. */
export class PeersError extends CodedError<ErrorCode> {
  override name = 'PeersError';
}

/** Coerce anything thrown into an Error, so callbacks always get an Error. */
export function toError(value: unknown, code: ErrorCode = Code.METHOD_FAILED): Error {
  if (value instanceof Error) return value;
  return new PeersError(code, typeof value === 'string' ? value : `non-Error value thrown: ${String(value)}`);
}
