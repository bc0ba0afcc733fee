/**
 * Password hashes for site.yaml `users[].passwordHash`. The web login sends md5(password) (see
 * seed 001), so what is stored is a salted slow hash of that MD5, never the MD5 itself:
 * `scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>` with a random 16-byte salt per hash. The
 * parameters travel in the string, so they can be raised later without breaking stored hashes.
 */
import { CodedError } from '@weble/peers-core';
import type { ScryptOptions } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * node:crypto, required on first use: the supervisor loads this file (through `@weble/web/site`)
 * for PASSWORD_HASH_PATTERN and hashes nothing; node:crypto at its start cost it about 0.5 MiB of
 * RSS (docs/memory.md, "The supervisor"). The web server loads it on its first login.
 */
const requireBuiltin = createRequire(import.meta.url);
let loaded: typeof import('node:crypto') | undefined;
const crypto = (): typeof import('node:crypto') =>
  (loaded ??= requireBuiltin('node:crypto') as typeof import('node:crypto'));

/** A password input that cannot be hashed (not the 32 hex digits of md5(password)). */
export class PasswordInputError extends CodedError<'CONFIG_BAD_PASSWORD_INPUT'> {
  override name = 'PasswordInputError';
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG_BAD_PASSWORD_INPUT', message, options);
  }
}

/** scrypt cost parameters of new hashes: N = 2^14, r = 8, p = 1 (about 16 MiB and 30-60 ms per hash). */
export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1 } as const;

/** Bytes of random salt per hash. */
const SALT_BYTES = 16;
/** Bytes of derived key. */
const KEY_BYTES = 32;
/** Upper bounds accepted when verifying, so a hand-edited hash cannot make a login take minutes or GiBs. */
const MAX = { N: 1 << 20, r: 32, p: 16 } as const;

/** The shape of a stored hash; site.yaml validation uses it to catch a plain password pasted by mistake. */
export const PASSWORD_HASH_PATTERN = /^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

const MD5_HEX = /^[0-9a-fA-F]{32}$/;

/** md5(text) as 32 lowercase hex digits: what a browser sends as the password of POST /auth. */
export function md5Hex(text: string): string {
  return crypto().createHash('md5').update(text, 'utf8').digest('hex');
}

function derive(
  secret: string,
  salt: Buffer,
  keyBytes: number,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default cap is 32 MiB, so give it room for the larger hashes we accept.
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    crypto().scrypt(secret, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hash `md5hex` (the 32 hex digits of md5(password), any case) for site.yaml. Each call uses a new
 * random salt, so two hashes of the same password differ. Throws `CONFIG_BAD_PASSWORD_INPUT`
 * when `md5hex` is not an MD5 in hex.
 */
export async function hashPassword(md5hex: string): Promise<string> {
  if (typeof md5hex !== 'string' || !MD5_HEX.test(md5hex)) {
    throw new PasswordInputError('hashPassword: expected the 32 hex digits of md5(password)');
  }
  const salt = crypto().randomBytes(SALT_BYTES);
  const key = await derive(md5hex.toLowerCase(), salt, KEY_BYTES, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  if (typeof stored !== 'string' || !PASSWORD_HASH_PATTERN.test(stored)) return undefined;
  const [, n, r, p, salt, key] = stored.split('$');
  const parsed = {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt ?? '', 'base64'),
    key: Buffer.from(key ?? '', 'base64'),
  };
  const powerOfTwo = parsed.N > 1 && (parsed.N & (parsed.N - 1)) === 0;
  if (!powerOfTwo || parsed.N > MAX.N || parsed.r < 1 || parsed.r > MAX.r || parsed.p < 1 || parsed.p > MAX.p)
    return undefined;
  if (parsed.salt.length < 8 || parsed.key.length < 16 || parsed.key.length > 64) return undefined;
  return parsed;
}

/**
 * Whether `md5hex` (md5(password) in hex, any case) matches `stored` (a {@link hashPassword}
 * result). Compares in constant time; a malformed `stored` or `md5hex` is simply no match.
 */
export async function verifyPassword(md5hex: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || typeof md5hex !== 'string' || !MD5_HEX.test(md5hex)) return false;
  const key = await derive(md5hex.toLowerCase(), parsed.salt, parsed.key.length, parsed);
  return crypto().timingSafeEqual(key, parsed.key);
}
