/**
 * The kit in real processes: the test is the hub, the fixture driver (fixtures/flaky-driver.mjs)
 * a child started as the supervisor starts drivers.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleProxy } from '@weble/peers-core';
import {
  spawnDriver,
  startTestHub,
  waitForEvent,
  waitUntil,
  type DriverChild,
  type TestHub,
} from '../src/testing/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/flaky-driver.mjs', import.meta.url));
const ADDRESSES = ['connects', 'counter', 'drop', 'crash'].map((kind) => ({ key: kind, point: { kind } }));

function config(gatewayConfig: Record<string, unknown>, id = 1): unknown {
  return { gateway: { id, type: 'flaky', name: 'flaky', config: gatewayConfig }, addresses: ADDRESSES };
}

let hub: TestHub;
const children: DriverChild[] = [];
beforeAll(async () => {
  hub = await startTestHub();
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await hub.close();
});

function start(options: Omit<Parameters<typeof spawnDriver>[1], 'hub'>): DriverChild {
  const child = spawnDriver(FIXTURE, { hub: hub.socket, ...options });
  children.push(child);
  return child;
}

describe('a driver whose device refuses connections', () => {
  it('retries with exponential backoff, reports each state, then polls; a lost link reconnects', async () => {
    const child = start({ config: config({ failTimes: 3, holdFirstConnect: true, pollMs: 20 }) });
    await hub.waitForPeer('driver_flaky_1'); // the default peer name: driver_<type>_<id>
    const driver: ModuleProxy = await hub.peers('driver_flaky_1').require('driver');
    const states: Array<[string, string | undefined]> = [];
    driver.on('gatewayState 1', (state: string, detail?: string) => states.push([state, detail]));
    // A call answered after the subscription on the same link: the driver has the listener now.
    expect(await driver.status()).toMatchObject({ state: 'connecting' });
    child.process.send({ type: 'test:go' });

    await waitUntil(() => states.some(([state]) => state === 'online'), { what: 'online' });
    expect(states).toEqual([
      ['offline', 'connect failed: refused (attempt 1); retry in 40 ms'],
      ['connecting', 'attempt 2'],
      ['offline', 'connect failed: refused (attempt 2); retry in 80 ms'],
      ['connecting', 'attempt 3'],
      ['offline', 'connect failed: refused (attempt 3); retry in 160 ms'],
      ['connecting', 'attempt 4'],
      ['online', undefined],
    ]);
    expect(await driver.read('connects')).toBe(4);
    const status = await driver.status();
    expect(status).toMatchObject({ state: 'online', errors: 3, reads: 1 });
    expect(status.error).toBeUndefined();

    await waitForEvent(driver, 'newValue counter', { match: (_key: string, value: number) => value >= 3 });

    states.length = 0;
    await expect(driver.write('drop', true)).rejects.toMatchObject({
      code: 'DRIVER_CONNECTION_LOST',
      message: 'device hung up (gateway 1 (flaky))',
    });
    await waitUntil(() => states.some(([state]) => state === 'online'), { what: 'online again' });
    expect(states).toEqual([
      ['offline', 'connection lost: device hung up; retry in 40 ms'],
      ['connecting', 'attempt 2'],
      ['online', undefined],
    ]);
    expect(await driver.read('connects')).toBe(5);

    const left = hub.waitForPeerGone('driver_flaky_1');
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    await left;
  });

  it('answers DRIVER_OFFLINE while the device is not connected', async () => {
    start({ config: config({ failTimes: 1_000 }, 2) });
    await hub.waitForPeer('driver_flaky_2');
    const driver: ModuleProxy = await hub.peers('driver_flaky_2').require('driver');
    await expect(driver.read('connects')).rejects.toMatchObject({
      code: 'DRIVER_OFFLINE',
      message: expect.stringMatching(/^read "connects": the device of gateway 2 \(flaky\) is (connecting|offline)$/),
    });
    expect((await driver.status()).error).toMatch(/^refused \(attempt \d+\)$/);
  });
});

describe('process life', () => {
  it('a crash exits non-zero with the error logged', async () => {
    const child = start({ config: config({ failTimes: 0 }, 3) });
    await hub.waitForPeer('driver_flaky_3');
    const driver: ModuleProxy = await hub.peers('driver_flaky_3').require('driver');
    await waitUntil(() => child.stderr.includes('device online'), { what: 'online' });
    await driver.write('crash', true);
    expect((await child.exited).code).toBe(1);
    expect(child.stderr).toContain('driver crashed: fixture crash');
  });

  it('without IPC: --config <file>, and a stop when stdin closes', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${hub.dir}/flaky-4.json`;
    writeFileSync(file, JSON.stringify(config({ failTimes: 0 }, 4)));
    const child = start({ ipc: false, args: ['--config', file], peerName: 'custom_name_4' });
    await hub.waitForPeer('custom_name_4');
    const left = hub.waitForPeerGone('custom_name_4');
    child.process.stdin!.end();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    await left;
  });

  it('exits 2 without configuration or without WEBLE_HUB, naming what is missing', async () => {
    const none = start({ ipc: false });
    expect((await none.exited).code).toBe(2);
    expect(none.stderr).toContain('driver_flaky: no configuration: expected a weble:config IPC message');
    const noHub = start({ config: config({ failTimes: 0 }, 5), env: { WEBLE_HUB: '' } });
    expect((await noHub.exited).code).toBe(2);
    expect(noHub.stderr).toContain('env.WEBLE_HUB: required');
    const wrongMessage = start({ firstMessage: { type: 'weble:hello' } });
    expect((await wrongMessage.exited).code).toBe(2);
    expect(wrongMessage.stderr).toContain(
      'first IPC message: expected type "weble:config", got type string ("weble:hello")',
    );
  });
});
