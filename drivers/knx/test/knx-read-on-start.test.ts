/**
 * Read on start of more points than the rate limit sends within a read timeout: 20 points at
 * 5 telegrams/s take 4 s to ask, the timeout is 1 s, and every read still gets its answer,
 * because a read's timeout starts when its telegram leaves the queue. The answers come from a
 * responder built on knxtool (its bus monitor sees the read, `groupsresponse` answers it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMonitor } from '../src/testing/index.js';
import { Harness, waitForState, type Driver } from './support/harness.js';

const POINTS = Array.from({ length: 20 }, (_, i) => ({ key: `p${i}`, point: { ga: `5/0/${i}`, dpt: '1.001' } }));
const harness = new Harness();
let monitor: BusMonitor;

beforeAll(async () => {
  await harness.open();
  monitor = await harness.knxd.monitor();
  monitor.onTelegram((telegram) => {
    if (telegram.kind === 'Read' && telegram.destination.startsWith('5/0/'))
      void harness.knxd.tool('groupsresponse', telegram.destination, '1');
  });
});
afterAll(async () => {
  monitor?.close();
  await harness.close();
});

async function allKnown(driver: Driver, timeoutMs: number): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const values = (await driver.addresses()).map((address) => address.value);
    if (values.every((value) => value !== undefined) || Date.now() > deadline) return values;
    await new Promise((resolve) => setTimeout(resolve, 50)); // poll interval between status round trips, not a synchronisation sleep
  }
}

describe('read on start under the rate limit', () => {
  it('reads 20 points at 5/s with a 1 s read timeout: every one answered, none failed', async () => {
    const { driver, id } = await harness.driver({ rateLimit: 5, readTimeoutMs: 1_000 }, POINTS);
    await waitForState(driver, id, 'online');
    expect(await allKnown(driver, 15_000)).toEqual(POINTS.map(() => true));
    const reads = POINTS.map(({ point }) => monitor.to(point.ga, 'Read')[0]!.at);
    // Spaced by the rate limit (200 ms), with the monitor's jitter.
    expect(reads[19]! - reads[0]!).toBeGreaterThanOrEqual(19 * 200 * 0.9);
    expect((await driver.status()).errors).toBe(0);
  }, 30_000);
});
