/**
 * `http.tls: auto`: a self-signed certificate generated once (selfsigned, RSA 2048, SHA-256,
 * 10 years, for localhost and 127.0.0.1) and kept in a directory; the key file has mode 0600.
 * The next start reuses the files. selfsigned (and node-forge under it, 0.9 MB of source that stays
 * in the heap) is loaded only when a certificate is made, not by every process importing the
 * package: the supervisor and the web server otherwise carried it for good (docs/memory.md).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type selfsignedModule from 'selfsigned';

/** PEM certificate and key. */
export interface TlsPair {
  cert: string;
  key: string;
}

/** Options of {@link loadOrCreateCertificate}. */
export interface AutoCertificateOptions {
  /** Extra DNS names for the certificate besides `localhost`. */
  hostnames?: string[];
}

/** The certificate in `dir` (`web-cert.pem`, `web-key.pem`), created there first when missing. */
export function loadOrCreateCertificate(dir: string, options: AutoCertificateOptions = {}): TlsPair {
  const certPath = join(dir, 'web-cert.pem');
  const keyPath = join(dir, 'web-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  }
  const names = ['localhost', ...(options.hostnames ?? [])];
  const selfsigned = createRequire(import.meta.url)('selfsigned') as typeof selfsignedModule;
  const generated = selfsigned.generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    days: 3650,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }],
      },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, generated.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, generated.cert, { mode: 0o644 });
  return { cert: generated.cert, key: generated.private };
}
