/**
 * The session kept across a reload of the same tab: what POST /auth answered that the page needs
 * to link again (the session id, the ws URL, the bound peer name, the expiry) and the username
 * shown in the header; never the password or its hash. It lives in `sessionStorage` (this tab
 * only, gone when the tab closes), under one key; the Storage is passed in so tests can use a fake.
 */

/** What a reloaded page needs to link again. */
export interface StoredSession {
  id: string;
  username: string;
  ws: string;
  peer: string;
  /** ms since the epoch. */
  expires: number;
}

/** The sessionStorage key. */
export const STORAGE_KEY = 'weble.session';

/** The bits of Storage used here (`sessionStorage` in the page). */
export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The stored session in `text`, or undefined when it is missing, not JSON or lacks a field. */
export function parseStoredSession(text: string | null): StoredSession | undefined {
  if (text === null) return undefined;
  let value: Partial<Record<keyof StoredSession, unknown>>;
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { id, username, ws, peer, expires } = value;
  if (
    !isText(id) ||
    !isText(username) ||
    !isText(ws) ||
    !isText(peer) ||
    typeof expires !== 'number' ||
    !Number.isFinite(expires)
  )
    return undefined;
  return { id, username, ws, peer, expires };
}

/** Keep `session` for this tab (failures, e.g. storage disabled, only lose the reload). */
export function storeSession(storage: SessionStorageLike | undefined, session: StoredSession): void {
  const { id, username, ws, peer, expires } = session; // exactly these fields, nothing else
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify({ id, username, ws, peer, expires }));
  } catch {
    // quota or privacy mode: the session still works, it only will not survive a reload
  }
}

/** The stored session: `none`, `expired` (then forgotten) or `live` (not yet asked of the server). */
export function loadStoredSession(
  storage: SessionStorageLike | undefined,
  now: number,
): { state: 'none' } | { state: 'expired' } | { state: 'live'; session: StoredSession } {
  let text: string | null = null;
  try {
    text = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return { state: 'none' };
  }
  const session = parseStoredSession(text);
  if (!session) {
    if (text !== null) forgetSession(storage);
    return { state: 'none' };
  }
  if (session.expires <= now) {
    forgetSession(storage);
    return { state: 'expired' };
  }
  return { state: 'live', session };
}

/** Forget the stored session (logout, expiry, a session the server no longer knows). */
export function forgetSession(storage: SessionStorageLike | undefined): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored can be read either
  }
}

/** The page's storage, or undefined where sessionStorage cannot be reached (e.g. blocked). */
export function tabStorage(): SessionStorageLike | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The name a resumed page takes: the bound name with a fresh `~<tag>` (8 letters and digits), so
 * that it links even while the old page's link is still open (packages/web link-name.ts).
 */
export function resumedPeerName(bound: string, bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(8))): string {
  const digits = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${bound}~${Array.from(bytes.subarray(0, 16), (b) => digits[b % digits.length]).join('')}`;
}
