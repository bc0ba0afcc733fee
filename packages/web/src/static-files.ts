/**
 * The web UI's static files (a Vite build: `index.html` and hashed `assets/*`), served read-only
 * from one directory: GET and HEAD only, content types by extension, `immutable` caching for
 * hashed assets and revalidation (ETag, 304) for the rest, and no way out of the directory
 * (`..`, encoded separators, NUL and symlinks leaving it are refused).
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join, sep } from 'node:path';

/** Content types by extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Vite's hashed file names (`assets/index-B2x_9aQf.js`): safe to cache for a year. */
const HASHED = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Headers of every UI response. The bundle from POST /auth is evaluated, hence `unsafe-eval`. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The web UI built into this package (`dist/ui`, copied from @weble/web-ui at build time), or undefined when absent. */
export function installedUiDir(): string | undefined {
  const dist = join(dirname(fileURLToPath(import.meta.url)), 'ui');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}

/**
 * Map a URL path to a file under `root` (a real, absolute path), or a refusal: 404 for anything
 * that is not a plain path inside it. `/` is `/index.html`.
 */
export function resolveStaticPath(
  root: string,
  urlPath: string,
): { file: string; path: string } | { status: 400 | 404 } {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (path === '/' || path === '') path = '/index.html';
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return { status: 404 };
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return { status: 404 };
  const candidate = join(root, ...segments);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return { status: 404 };
  }
  // A symlink inside the directory may point out of it: the real path decides.
  if (!real.startsWith(root + sep)) return { status: 404 };
  return { file: real, path };
}

/** A static file server for one directory; `handle` answers GET/HEAD and says whether it did. */
export class StaticFiles {
  private readonly root: string;

  /** Throws a `TypeError` naming `dir` when it is not a directory holding `index.html`. */
  constructor(dir: string) {
    if (!existsSync(join(dir, 'index.html')))
      throw new TypeError(`http.ui: ${dir} has no index.html (build the web UI: pnpm --filter @weble/web-ui build)`);
    this.root = realpathSync(dir);
  }

  /** Answer `request` when it is a GET or HEAD; returns false (nothing sent) otherwise. */
  handle(request: IncomingMessage, response: ServerResponse, urlPath: string): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const found = resolveStaticPath(this.root, urlPath);
    if ('status' in found) return (this.refuse(response, found.status), true);
    let stat;
    try {
      stat = statSync(found.file);
    } catch {
      return (this.refuse(response, 404), true);
    }
    if (!stat.isFile()) return (this.refuse(response, 404), true);
    const type = CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    const etag = `W/"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'content-type': type,
      etag,
      'cache-control': HASHED.test(found.path) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = CSP;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return true;
    }
    headers['content-length'] = stat.size;
    response.writeHead(200, headers);
    if (request.method === 'HEAD') return (response.end(), true);
    const stream = createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
    return true;
  }

  private refuse(response: ServerResponse, status: 400 | 404): void {
    const text = status === 400 ? 'bad request\n' : 'not found\n';
    response.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    response.end(text);
  }
}
