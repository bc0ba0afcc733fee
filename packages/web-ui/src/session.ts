/**
 * Logging in as seed 001's page does: POST /auth with md5(password), then evaluate the returned
 * `connect` and call it with the answer; the callback gets the peers object. The answer is kept
 * in sessionStorage (stored-session.ts) so that a reload of the tab resumes the session: GET /auth
 * checks it, GET /connect.js gives the bundle, and it connects the same way under a tagged name.
 * Logout is DELETE /auth with the session. Failures become messages a person can act on.
 */
import { CodedError } from '@weble/peers-core/errors';
import { md5Hex } from './md5.js';
import type { Peers } from './peers.js';
import { forgetSession, resumedPeerName, storeSession, tabStorage, type StoredSession } from './stored-session.js';

/** The answer of POST /auth. */
export interface AuthAnswer {
  connect: string;
  session: string;
  ws: string;
  peer: string;
  /** ms since the epoch. */
  expires: number;
}

/** A live login. */
export interface Session {
  peers: Peers;
  username: string;
  id: string;
  expires: number;
}

/** The codes of {@link LoginError} (the table in this package's README). */
export const LOGIN_CODES = [
  'BAD_CREDENTIALS',
  'RATE_LIMITED',
  'UNREACHABLE',
  'REFUSED',
  'CONNECT_FAILED',
  'SESSION_ENDED',
] as const;

/** A login that did not work, with the message to show (the coded-error base of `@weble/peers-core/errors`, which imports nothing). */
export class LoginError extends CodedError<(typeof LOGIN_CODES)[number]> {
  override name = 'LoginError';
}

/** What the bundle's `connect(data, callback)` reads (peers-client README). */
interface ConnectData {
  session: string;
  ws: string;
  peer: string;
  options?: object;
}

type ConnectFn = (data: ConnectData, cb: (error: Error | null, peers?: Peers) => void) => void;

/** POST /auth on this page's origin, then connect; resolves with the session. */
export async function login(username: string, password: string): Promise<Session> {
  let response: Response;
  try {
    response = await fetch('auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ username, password: md5Hex(password) }),
      cache: 'no-store',
    });
  } catch {
    throw new LoginError('UNREACHABLE', 'The gateway cannot be reached. Check the network and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as Partial<AuthAnswer> & { error?: string };
  if (response.status === 401) throw new LoginError('BAD_CREDENTIALS', 'Wrong username or password.');
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? 0);
    throw new LoginError('RATE_LIMITED', `Too many failed logins. Try again in ${Math.max(1, seconds)} s.`);
  }
  if (response.status !== 200 || typeof body.connect !== 'string')
    throw new LoginError('REFUSED', `Login refused: ${response.status} ${body.error ?? response.statusText}`);
  const answer = body as AuthAnswer;
  const peers = await connectWith(answer.connect, answer, 'Logged in, but the link to the gateway failed');
  const session: Session = { peers, username, id: answer.session, expires: answer.expires };
  storeSession(tabStorage(), {
    id: answer.session,
    username,
    ws: answer.ws,
    peer: answer.peer,
    expires: answer.expires,
  });
  return session;
}

/** Evaluate the bundle's `source` and connect with `data`; resolves with the peers object. */
async function connectWith(source: string, data: ConnectData, failure: string): Promise<Peers> {
  // The bundle's source is an expression yielding connect(data, callback) (seed 001); evaluate it
  // globally. In the browser: the bundle this gateway's POST /auth names (the seed page's way).
  // eslint-disable-next-line no-eval -- loading the connect bundle is what seed 001 specifies
  const connect = (0, eval)(source) as ConnectFn;
  return new Promise<Peers>((resolve, reject) => {
    connect(
      { session: data.session, ws: data.ws, peer: data.peer, options: { backoff: { initialMs: 200, maxMs: 2000 } } },
      (error, p) => {
        if (error || !p) reject(new LoginError('CONNECT_FAILED', `${failure}: ${error?.message ?? 'no peer'}`));
        else resolve(p);
      },
    );
  });
}

/** The message for a stored session the gateway no longer knows (also used while the link is down). */
export const SESSION_ENDED_MESSAGE = 'Your session has ended on the gateway. Please log in again.';

/**
 * Resume the session this tab kept (a reload): GET /auth says whether it is still live (a 401
 * forgets it: SESSION_ENDED), GET /connect.js gives the bundle, and the page connects as after a
 * login, under the bound name with a fresh `~<tag>` (the old page's link may still be open).
 */
export async function resume(stored: StoredSession): Promise<Session> {
  const check = await checkSession(stored.id);
  if (check.state !== 'live') {
    if (check.state === 'unknown')
      throw new LoginError('UNREACHABLE', 'The gateway cannot be reached. Check the network and reload the page.');
    forgetSession(tabStorage());
    throw new LoginError('SESSION_ENDED', SESSION_ENDED_MESSAGE);
  }
  let source: string;
  try {
    const response = await fetch('connect.js', { cache: 'no-cache' });
    if (!response.ok) throw new Error(`GET /connect.js: ${response.status}`);
    source = await response.text();
  } catch (error) {
    throw new LoginError('UNREACHABLE', `The gateway cannot be reached: ${(error as Error).message}`);
  }
  try {
    const peers = await connectWith(
      source,
      { session: stored.id, ws: stored.ws, peer: resumedPeerName(stored.peer) },
      'The link to the gateway failed',
    );
    return { peers, username: stored.username, id: stored.id, expires: check.expires ?? stored.expires };
  } catch (error) {
    forgetSession(tabStorage());
    throw error;
  }
}

/** End the session on the server (best effort), forget it in this tab and close the link. */
export async function logout(session: Session): Promise<void> {
  forgetSession(tabStorage());
  session.peers.removeAllListeners();
  session.peers.disconnect();
  await fetch('auth', {
    method: 'DELETE',
    headers: { authorization: `Bearer ${session.id}` },
    cache: 'no-store',
  }).catch(() => undefined);
}

/** Ask the server (GET /auth) whether session `id` is still live: `ended` on 401, `unknown` when unreachable. */
export async function checkSession(
  id: string,
): Promise<{ state: 'live'; expires?: number } | { state: 'ended' | 'unknown' }> {
  try {
    const response = await fetch('auth', { headers: { authorization: `Bearer ${id}` }, cache: 'no-store' });
    if (response.status === 401) return { state: 'ended' };
    if (!response.ok) return { state: 'unknown' };
    const body = (await response.json().catch(() => ({}))) as { expires?: unknown };
    return typeof body.expires === 'number' ? { state: 'live', expires: body.expires } : { state: 'live' };
  } catch {
    return { state: 'unknown' };
  }
}
