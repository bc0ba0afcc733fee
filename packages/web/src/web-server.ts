/**
 * `startWebServer(options)`: the `webserver` peer's door. An HTTP(S) server with POST /auth (and
 * GET /connect.js), and a WebSocket endpoint whose upgrades need a live session and an allowed
 * Origin; accepted sockets become links of the `webserver` peer, which admits only the hello
 * whose name is the session's bound peer name. The peer connects to the hub (`supervision`), so
 * browsers and the hub reach each other through it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  createPeers,
  DEFAULT_MAX_FRAME_BYTES,
  type EndpointInput,
  type Hello,
  type Logger,
  type Peers,
  type PeersOptions,
} from '@weble/peers-core';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { handleAuth, sendJson, type AuthContext, type LoginAttempt, type WebUser } from './auth-handler.js';
import { sessionAllowsName, WEB_SERVER_PEER } from './link-name.js';
import { LoginGuard, type LoginGuardOptions } from './login-guard.js';
import { originAllowed, originSet, ownOrigin } from './origin-policy.js';
import { SessionStore, type Session } from './session-store.js';
import { StaticFiles } from './static-files.js';
import { loadOrCreateCertificate, type TlsPair } from './tls-auto.js';

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface. Default `127.0.0.1`. */
  host?: string;
  /** HTTPS with these PEM strings, or `auto` (self-signed, kept in `tlsDir`). Absent: HTTP. */
  tls?: TlsPair | 'auto';
  /** Where `tls: 'auto'` keeps its certificate and key (key mode 0600). Required with `auto`. */
  tlsDir?: string;
  /** Who may log in. */
  users: readonly WebUser[];
  /** Origins allowed for CORS on /auth and on the upgrade, besides the server's own. Default none. */
  origins?: readonly string[];
  /** The client bundle's source and its ETag (built elsewhere: @weble/peers-client). */
  connectSource: () => { source: string; etag: string };
  /** The hub's endpoint (`/run/weble/supervision.sock`); absent: the peer joins no hub. */
  hub?: EndpointInput;
  /** This peer's name. Default `webserver`. */
  peerName?: string;
  /** Path of the WebSocket endpoint. Default `/peers`. */
  wsPath?: string;
  /** Session lifetime, ms. Default 12 h. */
  sessionTtlMs?: number;
  /** Most live sessions. Default 10 000. */
  maxSessions?: number;
  /** Keep sessions in this file (0600) so that browsers reconnect after a restart. Default: memory only. */
  sessionFile?: string;
  /** Failed-login throttles (login-guard.ts): 5 per address and 20 per account in 15 min, logins remembered 30 days. */
  loginLimit?: Omit<LoginGuardOptions, 'now'>;
  /** Largest POST /auth body, bytes. Default 4096. */
  maxBodyBytes?: number;
  /** Largest peers frame on browser links (and on the hub link), bytes. Default 16 MiB. */
  maxFrameBytes?: number;
  /** More options of the `webserver` peer (timeouts, heartbeat, backoff). */
  peersOptions?: Omit<PeersOptions, 'authenticate' | 'maxFrameBytes' | 'logger'>;
  /** Clock for sessions and rate limits, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Structured logger. Default pino on stderr at WEBLE_LOG_LEVEL or `info`. */
  logger?: Logger;
  /** Serve this directory (the built web UI, `index.html` at `/`). Absent: no UI, only the API. */
  uiDir?: string;
}

/** A running web server. */
export interface WebServer {
  /** `http://host:port` or `https://host:port`. */
  readonly url: string;
  /** The WebSocket endpoint as reached on `url`: `ws://host:port/peers`. */
  readonly wsUrl: string;
  readonly port: number;
  /** The `webserver` peer. */
  readonly peers: Peers;
  /** The session table. */
  readonly sessions: SessionStore;
  /** The certificate served, with `tls`. */
  readonly tls: TlsPair | undefined;
  /** Stop: the server, every WebSocket link and the peer. */
  close(): Promise<void>;
}

/** Where an upgrade carries its session: `?session=`, `Authorization: Bearer`, cookie `weble_session`. */
export function sessionIdOf(request: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('session');
  if (fromQuery) return fromQuery;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer?.[1]) return bearer[1];
  const cookie = /(?:^|;\s*)weble_session=([^;]+)/.exec(request.headers.cookie ?? '');
  return cookie?.[1];
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function corsHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin;
  return origin === undefined ? {} : { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** Start the server and the `webserver` peer; resolves once listening. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log: Logger =
    options.logger ?? pino({ name: 'webserver', level: process.env.WEBLE_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const now = options.now ?? Date.now;
  const wsPath = options.wsPath ?? '/peers';
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const allowed = originSet(options.origins ?? []);
  const sessions = new SessionStore({
    now,
    ...(options.sessionTtlMs !== undefined ? { ttlMs: options.sessionTtlMs } : {}),
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
    ...(options.sessionFile !== undefined ? { file: options.sessionFile } : {}),
  });
  const guard = new LoginGuard({ ...options.loginLimit, now });
  const users = new Map(options.users.map((user) => [user.username, user]));
  const ui = options.uiDir === undefined ? undefined : new StaticFiles(options.uiDir);

  let tls: TlsPair | undefined;
  if (options.tls === 'auto') {
    if (!options.tlsDir) throw new TypeError('startWebServer: tls "auto" needs tlsDir');
    tls = loadOrCreateCertificate(options.tlsDir);
  } else {
    tls = options.tls;
  }
  const secure = tls !== undefined;

  // Links accepted from the upgrade, by their remote (`ws://address:port`, unique while the TCP
  // connection lives), and the session each was opened with: the hello must match it.
  const linkSessions = new Map<string, string>();
  const linkSockets = new Map<string, { terminate(): void }>();
  const authenticate = (hello: Hello): true | string => {
    const sessionId = linkSessions.get(hello.remote);
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (!session) return 'no live session for this link';
    if (!sessionAllowsName(session.peerName, hello.name))
      return `this session is bound to the peer name "${session.peerName}" (or "${session.peerName}~<tag>")`;
    return true;
  };
  // A session's link speaks for its bound name and that name's `~tag` variants, nothing else.
  const mayAnnounce = (hello: Hello, name: string): boolean => {
    const sessionId = linkSessions.get(hello.remote);
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    return session !== undefined && sessionAllowsName(session.peerName, name);
  };
  const peers = createPeers(options.peerName ?? WEB_SERVER_PEER, {
    ...options.peersOptions,
    authenticate,
    mayAnnounce,
    maxFrameBytes,
    logger: log,
  });
  if (options.hub !== undefined) peers.connect(options.hub);

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes + 4 });
  let listenPort = 0;
  const wsUrlFor = (request: IncomingMessage): string => {
    const own = ownOrigin(request, secure);
    const base = own ?? `${secure ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${listenPort}`;
    return `${base.replace(/^http/, 'ws')}${wsPath}`;
  };
  // Logins and refused passwords go to the hub's audit trail (`audit.reportLogin`; only this peer may report them).
  const onLogin =
    options.hub === undefined
      ? undefined
      : (attempt: LoginAttempt): void => {
          peers('supervision')
            .call('audit', 'reportLogin', [attempt])
            .catch((error: Error) => log.warn({ err: error, attempt }, 'could not report a login to the audit trail'));
        };
  const context: AuthContext = {
    users,
    sessions,
    guard,
    maxBodyBytes: options.maxBodyBytes ?? 4096,
    connectSource: options.connectSource,
    wsUrl: wsUrlFor,
    log,
    ...(onLogin ? { onLogin } : {}),
  };

  const bearer = (request: IncomingMessage): string | undefined =>
    /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];

  /** GET /auth: is the session in `Authorization: Bearer` live? 200 `{username, peer, expires}` or 401. */
  const sessionCheck = (request: IncomingMessage, response: ServerResponse): void => {
    const session = sessions.get(bearer(request));
    if (!session) return void sendJson(response, 401, { error: 'no live session' });
    sendJson(response, 200, { username: session.username, peer: session.peerName, expires: session.expiresAt });
  };

  /** DELETE /auth (logout): the session in `Authorization: Bearer` ends and its links close. */
  const logout = (request: IncomingMessage, response: ServerResponse): void => {
    request.resume();
    const id = bearer(request);
    const session = sessions.get(id);
    if (!session || !sessions.delete(id)) return void sendJson(response, 401, { error: 'no live session' });
    for (const [remote, sessionId] of linkSessions) if (sessionId === session.id) linkSockets.get(remote)?.terminate();
    log.debug({ username: session.username, peer: session.peerName }, 'logout');
    response.writeHead(204, { 'cache-control': 'no-store' }).end();
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/auth') {
      const allowedOrigin = originAllowed(request, secure, allowed);
      if (request.method === 'OPTIONS') {
        if (!allowedOrigin) return void sendJson(response, 403, { error: 'origin not allowed' });
        response.writeHead(204, {
          ...corsHeaders(request),
          'access-control-allow-methods': 'POST, GET, DELETE',
          'access-control-allow-headers': 'Content-Type, Authorization',
          'access-control-max-age': '600',
        });
        return void response.end();
      }
      if (request.method !== 'POST' && request.method !== 'GET' && request.method !== 'DELETE')
        return void sendJson(response, 405, { error: 'use POST' }, { allow: 'POST, GET, DELETE, OPTIONS' });
      if (!allowedOrigin) {
        request.resume();
        return void sendJson(response, 403, { error: 'origin not allowed' });
      }
      if (request.method !== 'POST') {
        for (const [name, value] of Object.entries(corsHeaders(request))) response.setHeader(name, value);
        return request.method === 'GET' ? sessionCheck(request, response) : logout(request, response);
      }
      for (const [name, value] of Object.entries(corsHeaders(request))) response.setHeader(name, value);
      handleAuth(context, request, response).catch((error: Error) => {
        log.error({ err: error }, 'POST /auth failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      });
      return;
    }
    if (path === '/connect.js' && (request.method === 'GET' || request.method === 'HEAD')) {
      const { source, etag } = options.connectSource();
      const quoted = /^(W\/)?"/.test(etag) ? etag : `"${etag}"`; // accept a bare or an already quoted ETag
      if (request.headers['if-none-match'] === quoted) return void response.writeHead(304, { etag: quoted }).end();
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        etag: quoted,
        'cache-control': 'no-cache',
        'content-length': Buffer.byteLength(source),
      });
      return void response.end(request.method === 'HEAD' ? undefined : source);
    }
    if (ui?.handle(request, response, path)) return;
    sendJson(response, 404, { error: 'not found' });
  };

  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== wsPath) return refuseUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(request, secure, allowed)) return refuseUpgrade(socket, 403, 'Forbidden');
    const session: Session | undefined = sessions.get(sessionIdOf(request, url));
    if (!session) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => {
      const remote = `${secure ? 'wss' : 'ws'}://${request.socket.remoteAddress}:${request.socket.remotePort}`;
      linkSessions.set(remote, session.id);
      linkSockets.set(remote, ws);
      ws.once('close', () => (linkSessions.delete(remote), linkSockets.delete(remote)));
      peers.acceptWebSocket(ws, { remote, rawSocket: socket });
    });
  });

  const sweeper = setInterval(() => (sessions.sweep(), guard.sweep()), 60_000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  listenPort = (server.address() as AddressInfo).port;
  const hostForUrl = (options.host ?? '127.0.0.1').includes(':') ? `[${options.host}]` : (options.host ?? '127.0.0.1');
  const url = `${secure ? 'https' : 'http'}://${hostForUrl}:${listenPort}`;
  const wsUrl = `${url.replace(/^http/, 'ws')}${wsPath}`;
  // Where the door is, for the supervisor, the UI and tests (port 0 picks a free one).
  peers.share('web', {
    address: (cb: (error: null, address: { url: string; wsUrl: string }) => void) => cb(null, { url, wsUrl }),
  });

  return {
    url,
    wsUrl,
    port: listenPort,
    peers,
    sessions,
    tls,
    async close() {
      clearInterval(sweeper);
      await peers.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
