/** A peer that retries for days must not pile anything up per attempt. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Connector } from '../src/link/connector.js';
import { Code, PeersError } from '../src/errors.js';
import type { Link } from '../src/link/link.js';

describe('Connector retries', () => {
  it('leaves no abort listener behind per attempt on its long-lived signal', async () => {
    let dials = 0;
    const listeners: number[] = [];
    const dial = async (): Promise<Link> => {
      dials++;
      // The connector's own signal lives as long as it does (read through its private field).
      listeners.push(
        getEventListeners((connector as unknown as { abort: AbortController }).abort.signal, 'abort').length,
      );
      if (dials === 50) connector.stop();
      throw new PeersError(Code.CLOSED, 'connection refused');
    };
    const connector = new Connector(
      async () => undefined,
      [{ kind: 'tcp', host: '127.0.0.1', port: 1 }],
      {},
      () => 0,
      () => undefined,
      1000,
      dial,
    );
    connector.start();
    await connector.done;
    expect(dials).toBe(50);
    expect(Math.max(...listeners)).toBeLessThanOrEqual(1);
  });
});
