/**
 * `federation` in site.yaml: this site's name, where it accepts site links, the hubs it links to,
 * and how sites trust each other (a shared secret and/or mutual TLS). See docs/configuration.md
 * ("federation") and docs/federation.md. `federationOptions` turns the validated section into
 * the options of peers-core's `federate`, reading the secret and certificate files.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SITE_PATTERN, type FederateOptions } from '@weble/peers-core';
import { loadOrCreateCertificate } from '@weble/web/site';
import { z } from 'zod';

const pathSchema = z.string().min(1, 'expected a path');
const portSchema = z.number().int().min(0).max(65535);

/** `{host, port}` of another site's hub. */
export const siteEndpointSchema = z.strictObject({
  host: z.string().min(1),
  port: portSchema.refine((port) => port > 0, 'expected a port 1-65535'),
});

/** Certificate files; `ca` (optional) verifies the other side (mutual TLS). */
export const federationTlsSchema = z.strictObject({ cert: pathSchema, key: pathSchema, ca: pathSchema.optional() });

/** `federation.listen`: TLS (`auto`: a self-signed certificate kept in the run directory) or, explicitly, plain TCP. */
export const federationListenSchema = z
  .strictObject({
    /** Default 0.0.0.0 (other sites are on other machines). */
    host: z.string().min(1).default('0.0.0.0'),
    port: portSchema,
    /** Default `auto`. */
    tls: z
      .union([z.literal('auto'), federationTlsSchema], { error: 'expected "auto" or { cert, key, ca? }' })
      .optional(),
    /** Plain TCP for every site link of this site: only when set to true (logged as a warning). */
    plaintext: z
      .literal(true, { error: 'expected true (plain TCP is only used when asked for explicitly), or leave it out' })
      .optional(),
  })
  .refine((listen) => !(listen.plaintext && listen.tls), {
    path: ['plaintext'],
    message: 'plaintext: true and tls exclude each other',
  });

/** `federation`: see the module comment. */
export const federationSchema = z
  .strictObject({
    /** This site's name, unique in the federation: 1-63 lowercase letters, digits and `-`. */
    site: z.string().regex(SITE_PATTERN, 'expected a site name: 1-63 lowercase letters, digits and -, like "campus-a"'),
    listen: federationListenSchema.optional(),
    /** One `{host, port}` or a list. */
    wellKnownPeers: z
      .union([siteEndpointSchema, z.array(siteEndpointSchema)])
      .optional()
      .transform((peers) => (peers === undefined ? [] : Array.isArray(peers) ? peers : [peers])),
    /** Free data about this site, advertised to every site of the federation. */
    metadata: z.record(z.string(), z.unknown()).optional(),
    /** Where other sites reach this hub (told to them for rejoining); default: the listen address. */
    advertise: siteEndpointSchema.optional(),
    /** The shared secret (at least 16 characters); or `secretFile`. */
    secret: z.string().min(16, 'expected at least 16 characters').optional(),
    /** A file holding the shared secret (surrounding whitespace is ignored). */
    secretFile: pathSchema.optional(),
    /** Mutual TLS: `ca` verifies other sites, `cert`/`key` present this one. */
    tls: federationTlsSchema.optional(),
    /** Quiet time after the last change of site links or routes before `joined`, ms (default 1000). */
    settleMs: z.number().int().min(10).max(600_000).optional(),
    holdDownMs: z.number().int().min(0).max(600_000).optional(),
    /** How long actions run on other sites (`run`, `select`) wait for an answer, ms (default 30 000). */
    actionTimeoutMs: z.number().int().min(10).max(3_600_000).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.secret !== undefined && f.secretFile !== undefined)
      ctx.addIssue({ code: 'custom', path: ['secretFile'], message: 'give secret or secretFile, not both' });
    const mutual =
      f.tls?.ca !== undefined ||
      (f.listen?.tls !== undefined && f.listen.tls !== 'auto' && f.listen.tls.ca !== undefined);
    if (f.secret === undefined && f.secretFile === undefined && !mutual) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'expected a shared secret (secret or secretFile) or mutual TLS (tls: {ca, cert, key})',
      });
    }
    if (f.listen?.plaintext && f.secret === undefined && f.secretFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['listen', 'plaintext'],
        message: 'plain TCP needs a shared secret (mutual TLS is not used then)',
      });
    }
  });

export type FederationConfig = z.output<typeof federationSchema>;

/** The section with every path made absolute against `baseDir`. */
export function resolveFederationPaths(f: FederationConfig, baseDir: string): FederationConfig {
  const path = (file: string): string => (isAbsolute(file) ? file : resolve(baseDir, file));
  const tls = (t: z.output<typeof federationTlsSchema>): z.output<typeof federationTlsSchema> => ({
    cert: path(t.cert),
    key: path(t.key),
    ...(t.ca ? { ca: path(t.ca) } : {}),
  });
  return {
    ...f,
    ...(f.secretFile ? { secretFile: path(f.secretFile) } : {}),
    ...(f.tls ? { tls: tls(f.tls) } : {}),
    ...(f.listen
      ? { listen: { ...f.listen, ...(f.listen.tls && f.listen.tls !== 'auto' ? { tls: tls(f.listen.tls) } : {}) } }
      : {}),
  };
}

/**
 * peers-core `federate` options for a validated section: reads the secret and certificate files,
 * and for `tls: auto` (the default of a TLS listener) loads or makes a self-signed certificate in
 * `tlsDir`. Throws an Error naming the file that cannot be read.
 */
export function federationOptions(f: FederationConfig, tlsDir: string): FederateOptions {
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`federation.${what}: cannot read ${file}: ${(error as Error).message}`);
    }
  };
  const secret = f.secret ?? (f.secretFile ? read(f.secretFile, 'secretFile').trim() : undefined);
  if (f.secretFile && (secret === undefined || secret.length < 16))
    throw new Error(`federation.secretFile: ${f.secretFile} holds fewer than 16 characters`);
  const plaintext = f.listen?.plaintext === true;
  let identity: { cert: string; key: string } | undefined;
  let ca: string | undefined;
  if (f.tls) {
    identity = { cert: read(f.tls.cert, 'tls.cert'), key: read(f.tls.key, 'tls.key') };
    if (f.tls.ca) ca = read(f.tls.ca, 'tls.ca');
  }
  const listenTls = f.listen?.tls;
  if (listenTls && listenTls !== 'auto') {
    identity = { cert: read(listenTls.cert, 'listen.tls.cert'), key: read(listenTls.key, 'listen.tls.key') };
    if (listenTls.ca) ca = read(listenTls.ca, 'listen.tls.ca');
  }
  if (!plaintext && !identity) identity = loadOrCreateCertificate(tlsDir);
  return {
    ...(f.listen ? { listen: { host: f.listen.host, port: f.listen.port } } : {}),
    wellKnownPeers: f.wellKnownPeers,
    ...(secret !== undefined ? { secret } : {}),
    ...(plaintext ? { plaintext: true } : { tls: { ...identity, ...(ca ? { ca } : {}) } }),
    metadata: f.metadata ?? {},
    ...(f.advertise ? { advertise: f.advertise } : {}),
    ...(f.settleMs !== undefined ? { settleMs: f.settleMs } : {}),
    ...(f.holdDownMs !== undefined ? { holdDownMs: f.holdDownMs } : {}),
    ...(f.actionTimeoutMs !== undefined ? { actionTimeoutMs: f.actionTimeoutMs } : {}),
  };
}
