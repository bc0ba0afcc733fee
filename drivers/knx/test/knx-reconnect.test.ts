/**
 * knxd stopped and started again under a running driver: knxd sends no DISCONNECT_REQUEST, so
 * the driver learns it from its own heartbeat (CONNECTIONSTATE_REQUEST unanswered) within
 * seconds, goes offline, refuses calls with DRIVER_OFFLINE, reconnects with backoff when knxd is
 * back, and refreshes its values (read on start).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, Harness, TEST_HEARTBEAT, waitForState, type Driver } from './support/harness.js';

const harness = new Harness();
let driver: Driver;
let id: number;
let values: EventLog<[string, unknown]>;
let states: EventLog<[string, string]>;

beforeAll(async () => {
  await harness.open();
  ({ driver, id } = await harness.driver({ readTimeoutMs: 5_000 }, [
    { key: 'temp', point: { ga: '1/0/6', dpt: '9.001' } },
    { key: '4/7/25', point: { dpt: '1.001', readOnStart: false } },
  ]));
  await waitForState(driver, id, 'online');
  values = await new EventLog<[string, unknown]>(driver, 'newValue').ready();
  states = await new EventLog<[string, string]>(driver, `gatewayState ${id}`).ready();
}, 20_000);

afterAll(() => harness.close());

describe('knxd stopped and restarted', () => {
  it('goes offline within the heartbeat bound, refuses calls, comes back online and refreshes its values', async () => {
    // Offline within interval + (retries + 1) * timeout of the test heartbeat (1.3 s), with slack for a loaded machine.
    const bound = TEST_HEARTBEAT.intervalMs + (TEST_HEARTBEAT.retries + 1) * TEST_HEARTBEAT.timeoutMs;
    const offline = states.next(states.mark, (state) => state === 'offline', 10_000);
    const stoppedAt = performance.now();
    await harness.knxd.stop('SIGTERM');
    const [, detail] = await offline;
    expect(performance.now() - stoppedAt).toBeLessThan(bound + 1_500);
    expect(detail).toMatch(
      /connection lost: tunnel to 127\.0\.0\.1:\d+ \(channel \d+\) is dead: no answer to 2 connection-state request\(s\) of 400 ms \(KNX_HEARTBEAT_FAILED\)/,
    );

    await expect(driver.write('4/7/25', 1)).rejects.toMatchObject({ code: 'DRIVER_OFFLINE' });

    await harness.knxd.restart();
    // The monitor attaches well before the driver's next CONNECT_REQUEST (knxultimate sends it 2 s after Connect()).
    const monitor = await harness.knxd.monitor();
    try {
      await waitForState(driver, id, 'online', 20_000);
      await monitor.waitFor('1/0/6', 'Read', 1, 5_000);
      const refreshed = values.next(values.mark, (key) => key === 'temp');
      await harness.knxd.tool('groupwrite', '1/0/6', '0c', '33');
      expect((await refreshed)[1]).toBe(21.5);
      await driver.write('4/7/25', 1);
      expect((await monitor.waitFor('4/7/25', 'Write'))[0]).toMatchObject({ small: true, data: '01' });
    } finally {
      monitor.close();
    }
  }, 60_000);
});
