/**
 * The configuration of the `weble-web` bin: the `http` and `users` sections of site.yaml (same
 * schemas as the supervisor's), plus where `tls: auto` keeps its certificate and where the client
 * bundle is. Relative paths are resolved against `baseDir`, as the supervisor resolves site.yaml's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_MESSAGE_TYPE, formatIssues } from '@weble/driver-kit';
import { readConnectSource } from '@weble/peers-client';
import { httpSchema, userSchema } from './site-schema.js';
import { z } from 'zod';
import { installedUiDir } from './static-files.js';
import type { WebServerOptions } from './web-server.js';

/** `{type: 'weble:config', http, users, tlsDir?, connectFile?, sessionTtlMs?}`: the supervised-child config message (driver-kit's CONFIG_MESSAGE_TYPE). */
export const webConfigSchema = z.strictObject({
  type: z.literal(CONFIG_MESSAGE_TYPE),
  http: httpSchema,
  users: z.array(userSchema),
  /** Where `http.tls: auto` keeps web-cert.pem and web-key.pem. Default `./run/tls`. */
  tlsDir: z.string().min(1).default('./run/tls'),
  /** The client bundle (JS source served as `connect`). Absent: logins answer a bundle that reports it is missing. */
  connectFile: z.string().min(1).optional(),
  /** Session lifetime, ms. Default 12 h. */
  sessionTtlMs: z.number().int().positive().optional(),
  /** Sessions kept across restarts of the web server (0600). Absent: memory only. */
  sessionFile: z.string().min(1).optional(),
});

/** A parsed bin configuration. */
export type WebConfig = z.output<typeof webConfigSchema>;

/** Every problem of `raw`, one `path: message` line each, or the parsed configuration. */
export function parseWebConfig(raw: unknown): { config: WebConfig } | { problems: string[] } {
  const result = webConfigSchema.safeParse(raw);
  return result.success ? { config: result.data } : { problems: formatIssues(result.error.issues) };
}

/** The bundle file's source and a SHA-256 ETag, read once; by default the built @weble/peers-client bundle. */
export function fileConnectSource(path: string | undefined): () => { source: string; etag: string } {
  if (path === undefined) return readConnectSource;
  const source = readFileSync(path, 'utf8');
  const value = { source, etag: createHash('sha256').update(source).digest('base64url').slice(0, 27) };
  return () => value;
}

/** Server options from a configuration (TLS files read, paths resolved against `baseDir`). */
export function serverOptions(config: WebConfig, baseDir: string): Omit<WebServerOptions, 'hub' | 'logger'> {
  const tls = config.http.tls;
  return {
    port: config.http.port,
    host: config.http.host,
    users: config.users,
    origins: config.http.origins,
    connectSource: fileConnectSource(
      config.connectFile === undefined ? undefined : resolve(baseDir, config.connectFile),
    ),
    ...(tls === 'auto' ? { tls: 'auto' as const, tlsDir: resolve(baseDir, config.tlsDir) } : {}),
    ...(tls !== undefined && tls !== 'auto'
      ? {
          tls: {
            cert: readFileSync(resolve(baseDir, tls.cert), 'utf8'),
            key: readFileSync(resolve(baseDir, tls.key), 'utf8'),
          },
        }
      : {}),
    ...(config.sessionTtlMs !== undefined ? { sessionTtlMs: config.sessionTtlMs } : {}),
    ...(config.sessionFile !== undefined ? { sessionFile: resolve(baseDir, config.sessionFile) } : {}),
    ...uiOption(config.http.ui, baseDir),
  };
}

/** `http.ui`: a directory (resolved against `baseDir`), `false` for none, absent for the UI built into this package. */
function uiOption(ui: string | false | undefined, baseDir: string): { uiDir?: string } {
  if (ui === false) return {};
  const dir = ui === undefined ? installedUiDir() : resolve(baseDir, ui);
  return dir === undefined ? {} : { uiDir: dir };
}
