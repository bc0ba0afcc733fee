/**
 * The part of the WHATWG `WebSocket` interface the client uses: a browser's WebSocket has it, and
 * so has the minimal Node.js client of `node-websocket.ts`.
 */
import type { SocketLike } from '@weble/peers-core/core';

export { CONNECTING, OPEN, CLOSED, type SocketLike } from '@weble/peers-core/core';

/** TLS options for `wss://` in Node.js (`ca`, `servername`, `rejectUnauthorized`...); browsers use their own trust store. */
export type TlsOptions = Record<string, unknown>;

/** Makes a socket for `url`, sending `headers` with the upgrade (and using `tls`) where the platform allows it. */
export type SocketFactory = (
  url: string,
  headers: Record<string, string>,
  maxPayload: number,
  tls: TlsOptions,
) => SocketLike;
