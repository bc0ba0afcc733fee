/**
 * The entry of the connect bundle: `connect(data, callback)`, what evaluating `data.connect` yields
 * (scripts/build-connect.mjs wraps this module into one expression). `data` is the answer of
 * POST /auth; the callback gets a peers object named `data.peer`, linked over WebSocket to
 * `data.ws`, once `supervision` is reachable through it. The object reconnects on its own.
 */
import { Code, PeersError, createPeersCore, type Peers, type PeersOptions } from '@weble/peers-core/core';
import { socketFactory, webSocketDial } from './dial.js';
import type { NodeRequire } from './node-websocket.js';

/** The fields of the POST /auth answer the client reads. */
export interface ConnectData {
  /** Session identifier: sent as `?session=`, as `Authorization: Bearer` where headers can be sent, and as the hello's token. */
  session: string;
  /** Absolute `ws://` or `wss://` URL of the WebSocket endpoint. */
  ws: string;
  /** The peer name the session allows. */
  peer: string;
  /** The peer whose reachability means "connected". Default `supervision`. */
  waitFor?: string;
  /** Time allowed for the first connection, ms. Default 20 000. */
  connectTimeoutMs?: number;
  /** Node.js only: TLS options for `wss://` (`ca`, `servername`, `rejectUnauthorized`), e.g. `{ca: pem}` for a self-signed gateway. */
  tls?: Record<string, unknown>;
  /** Options of the peers object (timeouts, backoff...), as `createPeers` takes them. */
  options?: PeersOptions;
}

export type ConnectCallback = (error: Error | null, peers?: Peers) => void;

/** Handshake refusals that reconnecting cannot fix: the first connection fails with them. */
const FATAL = new Set<string>([Code.UNAUTHORIZED, Code.INVALID_NAME, Code.VERSION_MISMATCH, Code.NAME_TAKEN]);

/** Make `connect` for a scope whose CommonJS `require` (Node.js) is `nodeRequire`, if any. */
export function makeConnect(
  nodeRequire: NodeRequire | undefined,
): (data: ConnectData, callback: ConnectCallback) => void {
  return function connect(data, callback) {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let peers: Peers | undefined;
    const finish = (error: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (peers) {
        peers.removeListener('error', onError);
        peers.removeListener(`connect ${waitFor}`, onConnect);
      }
      if (error) {
        void peers?.close();
        callback(error);
      } else callback(null, peers);
    };
    const onError = (_where: unknown, error: Error): void => {
      if (error instanceof PeersError && FATAL.has(error.code)) finish(error);
    };
    const onConnect = (): void => finish(null);
    const waitFor = data && typeof data.waitFor === 'string' ? data.waitFor : 'supervision';
    try {
      if (!data || typeof data !== 'object')
        throw new PeersError(Code.BAD_ARGUMENT, 'connect(data): expected the POST /auth answer, an object');
      for (const field of ['session', 'ws', 'peer'] as const) {
        if (typeof data[field] !== 'string' || data[field] === '') {
          throw new PeersError(
            Code.BAD_ARGUMENT,
            `connect(data): data.${field}: expected a non-empty string, got ${JSON.stringify(data[field])}`,
          );
        }
      }
      if (!/^wss?:\/\//i.test(data.ws))
        throw new PeersError(
          Code.BAD_ENDPOINT,
          `connect(data): data.ws: expected a ws:// or wss:// URL, got ${JSON.stringify(data.ws)}`,
        );
      const url = new URL(data.ws);
      url.searchParams.set('session', data.session);
      const transports = { dial: webSocketDial(socketFactory(nodeRequire)) };
      peers = createPeersCore(data.peer, { ...data.options, token: data.session, transports });
      peers.on('error', onError);
      peers.on(`connect ${waitFor}`, onConnect);
      peers.connect(url.href, {
        headers: { Authorization: `Bearer ${data.session}` },
        ...(data.tls ? { tls: data.tls } : {}),
      });
      timer = setTimeout(() => {
        finish(
          new PeersError(
            Code.TIMEOUT,
            `connect: "${waitFor}" not reachable through ${data.ws} within ${data.connectTimeoutMs ?? 20_000} ms`,
          ),
        );
      }, data.connectTimeoutMs ?? 20_000);
    } catch (error) {
      // Never call back synchronously, as an XHR or https callback would not.
      queueMicrotask(() => finish(error as Error));
    }
  };
}
