/**
 * The driver cancels its COV subscriptions when it stops (SIGTERM), so a device's few
 * subscription slots are not held by a driver that is gone: the built bin against simulated
 * devices on loopback UDP (OS-chosen ports). A device known offline is skipped and a device that
 * does not answer the cancellation does not hold the stop past driver-kit's budget (a stop longer
 * than 1.5 s exits 1, not 0).
 */
import { DriverEvents } from '@weble/driver-kit';
import { waitForEvent, waitUntil } from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, point } from './helpers.js';

const harness = new Harness();
beforeAll(() => harness.open());
afterAll(() => harness.close());

describe('COV cancellation at stop', () => {
  it('SIGTERM cancels every subscription of the driver on the device, and the driver exits 0', async () => {
    const sim = await harness.sim({ instance: 6001 });
    const addresses = [
      point('supply', 6001, 'analog-input:1'),
      point('fan', 6001, 'binary-output:1', { status: true }),
    ];
    const { driver, child } = await harness.driver(
      { devices: [{ instance: 6001, address: sim.address }], pollMs: 60_000, cov: { lifetimeS: 300 } },
      addresses,
    );
    await waitUntil(() => sim.covSubscriptions().length === 2, { what: 'two COV subscriptions' });
    const changed = waitForEvent(driver, DriverEvents.newValue('supply'), { match: (_key, value) => value === 25.5 });
    await driver.status(); // answered after the subscription: the driver has the listener
    sim.set('analog-input:1', 25.5);
    await changed; // a COV notification (points are polled only every 60 s)
    const subscriber = sim.covSubscriptions()[0]?.subscriber ?? '';
    expect(
      sim
        .covSubscriptions(subscriber)
        .map((sub) => sub.object)
        .sort(),
    ).toEqual(['0:1', '4:1']);

    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    // The driver waited for the acknowledgements before exiting: the table is empty now.
    expect(sim.covSubscriptions(subscriber)).toEqual([]);
    expect(sim.served.cancelCov).toBe(2);
  });

  it('skips a device known offline and does not wait past the budget for one that went silent unnoticed', async () => {
    const known = await harness.sim({ instance: 6101 });
    const unnoticed = await harness.sim({ instance: 6102 });
    const addresses = [
      point('known.supply', 6101, 'analog-input:1'),
      point('known.outdoor', 6101, 'analog-input:2', { cov: false, intervalMs: 100 }), // polled: its silence is seen
      point('unnoticed.supply', 6102, 'analog-input:1'), // COV only, heartbeat every 60 s: its silence is not
    ];
    // A 2 s APDU timeout: waiting for an unanswered cancellation that long would overrun the 1.5 s stop.
    const config = {
      devices: [
        { instance: 6101, address: known.address },
        { instance: 6102, address: unnoticed.address },
      ],
      pollMs: 60_000,
      apduTimeoutMs: 2_000,
      retries: 0,
    };
    const { driver, child } = await harness.driver(config, addresses);
    await waitUntil(() => known.covSubscriptions().length === 1 && unnoticed.covSubscriptions().length === 1, {
      what: 'a COV subscription on each device',
    });

    const offline = waitForEvent(driver, 'deviceState 6101', {
      match: (state) => state === 'offline',
      timeoutMs: 10_000,
    });
    await driver.status();
    known.silent = true;
    await offline;
    unnoticed.silent = true;
    expect((await driver.devices()).find((device) => device.instance === 6102)).toMatchObject({ state: 'online' });

    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(known.ignored.cancelCov).toBeUndefined(); // skipped: known offline
    expect(unnoticed.ignored.cancelCov).toBe(1); // sent, unanswered, not waited for past the bound
  });
});
