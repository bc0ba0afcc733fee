/** Every code of the web server's error classes is in the error table of its README. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BODY_ERROR_STATUS, BodyError } from '../src/auth-request.js';

describe('error codes', () => {
  it('every BodyError code is in the README with its status', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const missing = Object.entries(BODY_ERROR_STATUS).filter(
      ([code, status]) => !readme.includes(`| \`${code}\` | ${status} |`),
    );
    expect(missing).toEqual([]);
  });

  it('a BodyError carries its code and the status that code gives', () => {
    const error = new BodyError('AUTH_BODY_TOO_LARGE', 'body: larger than 4096 bytes');
    expect({ code: error.code, status: error.status, name: error.name }).toEqual({
      code: 'AUTH_BODY_TOO_LARGE',
      status: 413,
      name: 'BodyError',
    });
    expect(new BodyError('AUTH_BAD_BODY', 'body: expected JSON').status).toBe(400);
  });
});
