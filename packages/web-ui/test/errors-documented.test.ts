/** Every code of the web UI's error class is in the error table of its README, and the class is the packages' coded error. */
import { readFileSync } from 'node:fs';
import { CodedError } from '@weble/peers-core/errors';
import { describe, expect, it } from 'vitest';
import { LOGIN_CODES, LoginError } from '../src/session.js';

describe('error codes', () => {
  it('every LoginError code is in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(LOGIN_CODES.filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });

  it('a LoginError is a CodedError with its code, name and message', () => {
    const error = new LoginError('BAD_CREDENTIALS', 'Wrong username or password.');
    expect(error).toBeInstanceOf(CodedError);
    expect({ code: error.code, name: error.name, message: error.message }).toEqual({
      code: 'BAD_CREDENTIALS',
      name: 'LoginError',
      message: 'Wrong username or password.',
    });
  });
});
