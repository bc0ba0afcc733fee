/**
 * POST /auth: throttles (per client address, then per account: login-guard.ts), body limit and validation,
 * password check, and a new session bound to a fresh peer name.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@weble/peers-core';
import { verifyPassword } from './password.js';
import { BodyError, parseAuthBody, readBody } from './auth-request.js';
import type { LoginGuard } from './login-guard.js';
import type { SessionStore } from './session-store.js';
import { sessionUserPart } from './link-name.js';

/** A user allowed to log in: site.yaml `users[]`. */
export interface WebUser {
  username: string;
  /** `scrypt$...` from `weble-supervisor hash-password` (a salted slow hash of md5(password)). */
  passwordHash: string;
}

/** What POST /auth answers on success. */
export interface AuthResponse {
  /** Source of the client bundle: evaluated by the client, then called as `connect(data, callback)`. */
  connect: string;
  /** Session id for the WebSocket upgrade (`?session=`, `Authorization: Bearer`, or cookie `weble_session`). */
  session: string;
  /** Absolute ws:// or wss:// URL of the WebSocket endpoint. */
  ws: string;
  /** The peer name the session is bound to; the client must use it in its hello. */
  peer: string;
  /** Session expiry, ms since the epoch. */
  expires: number;
}

/** The same answer for an unknown user and a wrong password. */
export const UNAUTHORIZED_BODY = { error: 'invalid username or password' } as const;

/** Verified against when the user is unknown, so both failures take the same time. Matches nothing. */
const DUMMY_HASH = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/** What the handler needs from the server. */
export interface AuthContext {
  users: ReadonlyMap<string, WebUser>;
  sessions: SessionStore;
  guard: LoginGuard;
  maxBodyBytes: number;
  connectSource: () => { source: string; etag: string };
  /** The ws(s) URL clients of `request` should use. */
  wsUrl: (request: IncomingMessage) => string;
  log: Logger;
  /** Told of every login and every refused password (for the site's audit trail). */
  onLogin?: (attempt: LoginAttempt) => void;
}

/** A login attempt as reported to the audit trail: the username given, the client's address, the outcome. */
export interface LoginAttempt {
  username: string;
  address: string;
  ok: boolean;
  /** The session's peer name on success. */
  peer?: string;
}

/** Send `body` as JSON with `status` (headers already set on `response` are kept). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function tooMany(response: ServerResponse, retryAfterMs: number): void {
  const seconds = Math.ceil(retryAfterMs / 1000);
  sendJson(
    response,
    429,
    { error: `too many failed logins; retry in ${seconds} s` },
    { 'retry-after': String(seconds) },
  );
}

/** `web_<username>_<12 hex>`, with characters a peer name cannot hold replaced by `_`. */
export function peerNameFor(username: string): string {
  return `web_${sessionUserPart(username)}_${randomBytes(6).toString('hex')}`;
}

/** Handle one POST /auth (CORS already checked). */
export async function handleAuth(
  context: AuthContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const address = request.socket.remoteAddress ?? 'unknown';
  const addressWait = context.guard.addressWait(address);
  if (addressWait > 0) {
    request.resume();
    return tooMany(response, addressWait);
  }
  let body;
  try {
    body = parseAuthBody(await readBody(request, context.maxBodyBytes));
  } catch (error) {
    if (error instanceof BodyError)
      return sendJson(
        response,
        error.status,
        { error: error.message },
        error.status === 413 ? { connection: 'close' } : {},
      );
    throw error;
  }
  const userWait = context.guard.accountWait(body.username, address);
  if (userWait > 0) return tooMany(response, userWait);

  const user = context.users.get(body.username);
  const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    context.guard.failed(body.username, address);
    context.log.warn(
      { username: body.username, address: request.socket.remoteAddress, knownUser: Boolean(user) },
      'failed login',
    );
    context.onLogin?.({ username: body.username, address, ok: false });
    return sendJson(response, 401, UNAUTHORIZED_BODY);
  }
  context.guard.succeeded(user.username, address);
  const session = context.sessions.create(user.username, peerNameFor(user.username));
  const answer: AuthResponse = {
    connect: context.connectSource().source,
    session: session.id,
    ws: context.wsUrl(request),
    peer: session.peerName,
    expires: session.expiresAt,
  };
  context.log.debug({ username: user.username, peer: session.peerName }, 'login');
  context.onLogin?.({ username: user.username, address, ok: true, peer: session.peerName });
  sendJson(response, 200, answer);
}
