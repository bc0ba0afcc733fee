/**
 * The part of the WHATWG `WebSocket` interface the client uses: a browser's WebSocket has it, and
 * so has the minimal Node.js client of `node-websocket.ts`.
 */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;

/** A WebSocket as browsers define it, reduced to what a link needs. */
export interface SocketLike {
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued by `send` and not yet written. */
  readonly bufferedAmount: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** TLS options for `wss://` in Node.js (`ca`, `servername`, `rejectUnauthorized`...); browsers use their own trust store. */
export type TlsOptions = Record<string, unknown>;

/** Makes a socket for `url`, sending `headers` with the upgrade (and using `tls`) where the platform allows it. */
export type SocketFactory = (url: string, headers: Record<string, string>, maxPayload: number, tls: TlsOptions) => SocketLike;
