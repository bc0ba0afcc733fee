/**
 * Which `Origin` may call POST /auth (CORS) and open a WebSocket: the server's own origin and the
 * configured ones. A request without `Origin` (a Node.js script, curl) is not a browser's
 * cross-site request and is let through; the session still has to be valid.
 */
import type { IncomingMessage } from 'node:http';

/** The origin a request was addressed to, from its `Host` header: `https://gw.local:8443`. */
export function ownOrigin(request: IncomingMessage, secure: boolean): string | undefined {
  const host = request.headers.host;
  if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return undefined;
  return `${secure ? 'https' : 'http'}://${host}`.toLowerCase();
}

/**
 * Whether `request`'s `Origin` is allowed: absent, the server's own, or one of `allowed`
 * (compared as `scheme://host[:port]`, case-insensitively).
 */
export function originAllowed(request: IncomingMessage, secure: boolean, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase();
  return normalized === ownOrigin(request, secure) || allowed.has(normalized);
}

/** Normalize configured origins for {@link originAllowed}. */
export function originSet(origins: readonly string[]): ReadonlySet<string> {
  return new Set(origins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
}
