/**
 * Sessions handed out by POST /auth: a random 32-byte id (base64url), the user, the peer name the
 * session is bound to, and an expiry. In memory, capped, swept of expired entries.
 */
import { randomBytes } from 'node:crypto';

/** One login. */
export interface Session {
  /** 43 base64url characters (32 random bytes). */
  readonly id: string;
  readonly username: string;
  /** The only peer name a link opened with this session may take on the mesh. */
  readonly peerName: string;
  /** Expiry, ms since the epoch. */
  readonly expiresAt: number;
}

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Lifetime of a session, ms. Default 12 h. */
  ttlMs?: number;
  /** Most sessions held; when full, expired ones are swept, then the oldest is dropped. Default 10 000. */
  maxSessions?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The session table. Not persisted: a restart of the web server logs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 12 * 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** A new session for `username`, bound to `peerName`. */
  create(username: string, peerName: string): Session {
    if (this.sessions.size >= this.maxSessions) this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: Session = { id: randomBytes(32).toString('base64url'), username, peerName, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of `id`, or undefined (unknown, malformed or expired; an expired one is dropped). */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Drop expired sessions. Returns how many were dropped. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.sessions.delete(id);
        dropped++;
      }
    }
    return dropped;
  }

  /** Sessions held (expired ones not yet swept included). */
  get size(): number {
    return this.sessions.size;
  }
}
