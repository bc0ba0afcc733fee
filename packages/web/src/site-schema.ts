/**
 * The site.yaml sections the web server owns: `http` and `users`. The supervisor's site schema
 * includes them; the `webserver` process validates its configuration with them too.
 */
import { z } from 'zod';
import { PASSWORD_HASH_PATTERN } from './password.js';

const pathSchema = z.string().min(1, 'expected a path');

/** A list section: may be left empty in YAML (`origins:` with nothing under it). */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export const tlsFilesSchema = z.strictObject({ cert: pathSchema, key: pathSchema });

/** `http`: the `webserver` peer. Absent: no web server. */
export const httpSchema = z.strictObject({
  /** TCP port; 0 picks a free one. */
  port: z.number().int().min(0).max(65_535),
  /** Interface to listen on. Default `127.0.0.1`. */
  host: z.string().min(1).default('127.0.0.1'),
  /** HTTPS: PEM files, or `auto` for a self-signed certificate. Absent: plain HTTP. */
  tls: z.union([z.literal('auto'), tlsFilesSchema], { error: 'expected "auto" or { cert, key }' }).optional(),
  /** Origins allowed to open WebSockets besides the server's own, e.g. `https://scada.example.com`. Default none. */
  origins: list(
    z.string().refine(isOrigin, 'expected an origin like https://scada.example.com (scheme, host and port only)'),
  ),
  /** The web UI served at `/`: a directory (a Vite build), or `false` for none. Default: the UI built into @weble/web (dist/ui). */
  ui: z.union([pathSchema, z.literal(false)], { error: 'expected the path of a built web UI, or false' }).optional(),
});

/** What a user may do, least first (docs/roles.md): `viewer` reads, `operator` also writes and acknowledges, `admin` also controls and configures. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** The role of a user whose entry has none: the safest, read-only one. */
export const DEFAULT_ROLE: Role = 'viewer';

/** `users[]`: who may log in through POST /auth, and with which role. */
export const userSchema = z
  .strictObject({
    username: z.string().regex(/^[^\s]{1,64}$/, 'expected 1-64 characters without spaces'),
    /** Output of `weble-supervisor hash-password`. */
    passwordHash: z
      .string()
      .regex(
        PASSWORD_HASH_PATTERN,
        'expected the output of `weble-supervisor hash-password` (scrypt$...), not a password',
      ),
    /** `viewer`, `operator` or `admin`. Absent: `viewer` ({@link DEFAULT_ROLE}). */
    role: z.string().optional(),
  })
  .superRefine((user, ctx) => {
    if (user.role !== undefined && !(ROLES as readonly string[]).includes(user.role)) {
      ctx.addIssue({
        code: 'custom',
        path: ['role'],
        message: `ROLE_UNKNOWN: user "${user.username}" has the unknown role ${JSON.stringify(user.role)} (expected ${ROLES.join(', ')})`,
      });
    }
  })
  .transform((user) => ({ ...user, role: (user.role ?? DEFAULT_ROLE) as Role }));
