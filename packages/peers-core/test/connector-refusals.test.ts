/** The reconnect loop gives up on refusals that retrying cannot fix, and only on those. */
import { describe, expect, it } from 'vitest';
import { Connector } from '../src/link/connector.js';
import { Code, PeersError, type ErrorCode } from '../src/errors.js';
import type { Link } from '../src/link/link.js';

function run(code: ErrorCode, failures: number): Promise<{ dials: number; reported: Array<[string, boolean]> }> {
  let dials = 0;
  const reported: Array<[string, boolean]> = [];
  const dial = async (): Promise<Link> => {
    dials++;
    if (dials > failures) connector.stop(); // enough: a retryable error was retried
    throw new PeersError(code, `refused (${code})`);
  };
  const connector = new Connector(
    async () => undefined,
    [{ kind: 'tcp', host: '127.0.0.1', port: 1 }],
    {},
    () => 1,
    (_where, error, repeated) => reported.push([(error as PeersError).code, repeated]),
    1000,
    dial,
  );
  connector.start();
  return connector.done.then(() => ({ dials, reported }));
}

describe('Connector refusals', () => {
  for (const code of [Code.WRONG_SECRET, Code.CERT_REJECTED, Code.VERSION_MISMATCH, Code.UNAUTHORIZED]) {
    it(`stops after ${code}, reported once`, async () => {
      expect(await run(code, 5)).toEqual({ dials: 1, reported: [[code, false]] });
    });
  }

  it('keeps retrying a taken site name (the old link may be on its way out), reporting only the first', async () => {
    const { dials, reported } = await run(Code.SITE_TAKEN, 3);
    expect(dials).toBe(4);
    expect(reported[0]).toEqual([Code.SITE_TAKEN, false]);
    expect(reported.slice(1).every(([, repeated]) => repeated)).toBe(true);
  });
});
