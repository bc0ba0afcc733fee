/**
 * @weble/peers-client: the connect bundle POST /auth answers as `connect`, and a helper to read it.
 * The bundle is built by `scripts/build-connect.mjs` into `dist/connect.js`; see the README.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundle's source text and a strong ETag of it. */
export interface ConnectSource {
  /** JavaScript source: one expression whose value is `connect(data, callback)`. */
  source: string;
  /** Strong ETag, quoted: `"<base64url sha-256, 27 chars>"`. */
  etag: string;
}

/** Absolute path of `dist/connect.js`. */
export const connectSourcePath: string = fileURLToPath(new URL('./connect.js', import.meta.url));

let cached: ConnectSource | undefined;

/** Read `dist/connect.js` (once; later calls return the same object). Throws when the package is not built. */
export function readConnectSource(): ConnectSource {
  if (!cached) {
    const source = readFileSync(connectSourcePath, 'utf8');
    cached = { source, etag: `"${createHash('sha256').update(source).digest('base64url').slice(0, 27)}"` };
  }
  return cached;
}

export type { ConnectData, ConnectCallback } from './bundle/connect.js';
