/**
 * Sessions handed out by POST /auth: a random 32-byte id (base64url), the user, the peer name the
 * session is bound to, and an expiry. In memory, capped, swept of expired entries; with a `file`,
 * also kept on disk (mode 0600, one JSON line per session, keyed by the SHA-256 of the id, never
 * the id itself) so that a restarted web server still knows its sessions and browsers reconnect.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

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
  /** Keep sessions in this file across restarts (created with mode 0600). Default: memory only. */
  file?: string;
}

interface StoredSession {
  key: string;
  username: string;
  peerName: string;
  expiresAt: number;
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('base64url');

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The session table, keyed by the SHA-256 of the session id. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;
  private readonly file: string | undefined;
  private fileLines = 0;

  constructor(options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 12 * 60 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
    this.file = options.file;
    if (this.file) this.load(this.file);
  }

  private load(file: string): void {
    if (!existsSync(file)) return;
    const now = this.now();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      this.fileLines++;
      try {
        const s = JSON.parse(line) as Partial<StoredSession>;
        if (
          typeof s.key !== 'string' ||
          typeof s.username !== 'string' ||
          typeof s.peerName !== 'string' ||
          typeof s.expiresAt !== 'number'
        )
          continue;
        if (s.expiresAt > now)
          this.sessions.set(s.key, { id: '', username: s.username, peerName: s.peerName, expiresAt: s.expiresAt });
      } catch {
        // a torn last line after a crash: skip it
      }
    }
    this.compact();
  }

  private persist(key: string, session: Session): void {
    if (!this.file) return;
    const record: StoredSession = {
      key,
      username: session.username,
      peerName: session.peerName,
      expiresAt: session.expiresAt,
    };
    appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    this.fileLines++;
    if (this.fileLines > 2 * this.sessions.size + 100) this.compact();
  }

  /** Rewrite the file with the live sessions only. */
  private compact(): void {
    if (!this.file) return;
    const lines = [...this.sessions].map(([key, s]) =>
      JSON.stringify({ key, username: s.username, peerName: s.peerName, expiresAt: s.expiresAt }),
    );
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    this.fileLines = lines.length;
  }

  /** A new session for `username`, bound to `peerName`. */
  create(username: string, peerName: string): Session {
    if (this.sessions.size >= this.maxSessions) this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      username,
      peerName,
      expiresAt: this.now() + this.ttlMs,
    };
    const key = keyOf(session.id);
    this.sessions.set(key, session);
    this.persist(key, session);
    return session;
  }

  /** The live session of `id`, or undefined (unknown, malformed or expired; an expired one is dropped). */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session.id === id ? session : { ...session, id };
  }

  /** End the session of `id` (logout); the file forgets it too. Returns whether it was live. */
  delete(id: string | undefined): boolean {
    const session = this.get(id);
    if (!session) return false;
    this.sessions.delete(keyOf(session.id));
    this.compact();
    return true;
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
