/**
 * Logging in as seed 001's page does: POST /auth with md5(password), then evaluate the returned
 * `connect` and call it with the answer; the callback gets the peers object. Logout is
 * DELETE /auth with the session. Failures become messages a person can act on.
 */
import { md5Hex } from './md5.js';
import type { Peers } from './peers.js';

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

/** A login that did not work, with the message to show. */
export class LoginError extends Error {
  override name = 'LoginError';
  constructor(
    readonly code: 'BAD_CREDENTIALS' | 'RATE_LIMITED' | 'UNREACHABLE' | 'REFUSED' | 'CONNECT_FAILED',
    message: string,
  ) {
    super(message);
  }
}

type ConnectFn = (data: AuthAnswer & { options?: object }, cb: (error: Error | null, peers?: Peers) => void) => void;

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
  if (response.status !== 200 || typeof body.connect !== 'string') throw new LoginError('REFUSED', `Login refused: ${response.status} ${body.error ?? response.statusText}`);
  const answer = body as AuthAnswer;
  // The bundle's source is an expression yielding connect(data, callback) (seed 001); evaluate it globally.
  const connect = (0, eval)(answer.connect) as ConnectFn; // eslint-disable-line no-eval
  const peers = await new Promise<Peers>((resolve, reject) => {
    connect({ ...answer, options: { backoff: { initialMs: 200, maxMs: 2000 } } }, (error, p) => {
      if (error || !p) reject(new LoginError('CONNECT_FAILED', `Logged in, but the link to the gateway failed: ${error?.message ?? 'no peer'}`));
      else resolve(p);
    });
  });
  return { peers, username, id: answer.session, expires: answer.expires };
}

/** End the session on the server (best effort) and close the link. */
export async function logout(session: Session): Promise<void> {
  session.peers.removeAllListeners();
  session.peers.disconnect();
  await fetch('auth', { method: 'DELETE', headers: { authorization: `Bearer ${session.id}` }, cache: 'no-store' }).catch(() => undefined);
}

/** Ask the server whether the session is still live: `ended` on 401, `unknown` when unreachable. */
export async function checkSession(session: Session): Promise<'live' | 'ended' | 'unknown'> {
  try {
    const response = await fetch('auth', { headers: { authorization: `Bearer ${session.id}` }, cache: 'no-store' });
    if (response.status === 401) return 'ended';
    return response.ok ? 'live' : 'unknown';
  } catch {
    return 'unknown';
  }
}
