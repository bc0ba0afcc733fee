/** The codes of BacnetRequestError: each documented in the README, each given to the failure it names. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BacnetCode, BacnetRequestError, requestError } from '../src/failures.js';

describe('BacnetRequestError codes', () => {
  it('every BacnetCode is documented in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(Object.values(BacnetCode).filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });

  it('the library error texts get the code of what they say', () => {
    const codeOf = (text: string): string => requestError(new Error(text), 'analog-value:12', 1234).code;
    expect(codeOf('BacnetError - Class:1 - Code:31')).toBe('BACNET_DEVICE_ERROR');
    expect(codeOf('BacnetAbort - Reason:4')).toBe('BACNET_REJECTED');
    expect(codeOf('ERR_TIMEOUT')).toBe('BACNET_NO_ANSWER');
    expect(codeOf('EHOSTUNREACH')).toBe('BACNET_REQUEST_FAILED');
  });

  it('the driver’s own failures get their codes', () => {
    expect(new BacnetRequestError({ kind: 'other', message: 'unbound' }, 'device 7 is not bound').code).toBe(
      'BACNET_NOT_BOUND',
    );
    expect(new BacnetRequestError({ kind: 'other', message: 'missing' }, 'present-value is missing').code).toBe(
      'BACNET_INCOMPLETE_ANSWER',
    );
    expect(new BacnetRequestError({ kind: 'other', message: 'closed' }, 'the BACnet client is closed').code).toBe(
      'BACNET_CLOSED',
    );
    const error = new BacnetRequestError({ kind: 'error', errorClass: 1, errorCode: 31 }, 'unknown-object');
    expect({ code: error.code, errorCode: error.errorCode, name: error.name }).toEqual({
      code: 'BACNET_DEVICE_ERROR',
      errorCode: 31,
      name: 'BacnetRequestError',
    });
  });
});
