/** Password hashes: salted scrypt of md5(password), parameters in the string, constant-time check. */
import { describe, expect, it } from 'vitest';
import { hashPassword, md5Hex, PASSWORD_HASH_PATTERN, verifyPassword } from '../src/password.js';

const MD5 = md5Hex('mypassword');

describe('md5Hex', () => {
  it('is the hex MD5 a browser sends to POST /auth', () => {
    expect(md5Hex('mypassword')).toBe('34819d7beeabb9260a5c854bc85b3e44');
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
});

describe('hashPassword / verifyPassword', () => {
  it('encodes scrypt, its parameters, a 16-byte salt and the hash', async () => {
    const stored = await hashPassword(MD5);
    expect(stored).toMatch(PASSWORD_HASH_PATTERN);
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
  });

  it('verifies the same md5, in either case, and nothing else', async () => {
    const stored = await hashPassword(MD5);
    expect(await verifyPassword(MD5, stored)).toBe(true);
    expect(await verifyPassword(MD5.toUpperCase(), stored)).toBe(true);
    expect(await verifyPassword(md5Hex('mypassword '), stored)).toBe(false);
    expect(await verifyPassword('mypassword', stored)).toBe(false);
  });

  it('salts: two hashes of one password differ and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword(MD5), hashPassword(MD5)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(MD5, a)).toBe(true);
    expect(await verifyPassword(MD5, b)).toBe(true);
  });

  it('uses the parameters written in the stored string', async () => {
    const stored = await hashPassword(MD5);
    const weaker = stored.replace('scrypt$16384$', 'scrypt$1024$');
    expect(await verifyPassword(MD5, weaker)).toBe(false);
  });

  it('treats malformed or abusive stored strings as no match', async () => {
    const stored = await hashPassword(MD5);
    const [, , , , salt, key] = stored.split('$');
    for (const bad of [
      '',
      'plain',
      `md5$${MD5}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$1073741824$8$1$${salt}$${key}`,
      `scrypt$16384$99$1$${salt}$${key}`,
      `scrypt$16384$8$1$${salt}$QUJD`,
    ]) {
      expect(await verifyPassword(MD5, bad)).toBe(false);
    }
  });

  it('refuses to hash anything but an MD5 in hex, with a coded error', async () => {
    await expect(hashPassword('mypassword')).rejects.toMatchObject({
      name: 'PasswordInputError',
      code: 'CONFIG_BAD_PASSWORD_INPUT',
    });
    await expect(hashPassword(`${MD5}0`)).rejects.toMatchObject({ code: 'CONFIG_BAD_PASSWORD_INPUT' });
  });
});
