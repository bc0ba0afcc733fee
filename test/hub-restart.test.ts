/**
 * The hub dies (SIGKILL) and comes back on the same socket path: a pending call fails at once, the
 * peers reconnect by themselves, calls work again, and event listeners registered before the crash
 * get events again without being registered again (the subscriptions are replayed).
 */
import { afterAll, expect, it } from 'vitest';
import { Children, type Child } from './support/children.js';
import { connected, startAgent, tempDir } from './support/mesh.js';

const children = new Children();
const dir = tempDir();

afterAll(async () => {
  try {
    await children.finish();
  } finally {
    dir.remove();
  }
});

/** Fast reconnects keep the test short; the default policy is the same shape, slower. */
const backoff = { initialMs: 50, maxMs: 400 };
/** Far longer than the test: a call settled by its timeout would stand out. */
const callTimeoutMs = 60_000;

it('hub crash and restart: pending call fails at once, peers reconnect, calls and listeners work again', async () => {
  const socket = dir.socket('supervision');
  const startHub = async (): Promise<Child> =>
    (await startAgent(children, { name: 'supervision', hub: true, listen: socket })).child;
  let hub = await startHub();
  const { child: driver } = await startAgent(children, {
    name: 'driver_modbus_1',
    connect: socket,
    options: { backoff },
  });
  await connected(hub, ['driver_modbus_1']);
  const { child: client } = await startAgent(children, {
    name: 'myClientName',
    connect: socket,
    options: { backoff, callTimeoutMs },
  });
  await connected(client, ['supervision', 'driver_modbus_1']);

  // listeners on the hub's events and, through the hub, on the driver's
  await client.eval(`
    track('value', peers('supervision'), 'newValue 4/7/25');
    track('reading', peers('driver_modbus_1'), 'reading');
    await barrier('supervision');
    await barrier('driver_modbus_1');
  `);
  await hub.eval("gateways.writeValue('4/7/25', 1, () => {})");
  await driver.eval("peers.peerEvents().emit('reading', 'before')");
  await client.waitForReport('event', { tag: 'value' });
  await client.waitForReport('event', { tag: 'reading' });
  const listenersBefore = await client.eval('return peers.listenerCount()');

  // a call the hub never answers
  await client.eval("globalThis.pending = settle(peers('supervision').call('lab', 'hang'))");
  await hub.waitForReport('hang');
  const crash = client.mark();
  const driverCrash = driver.mark();
  const killedAt = Date.now();
  await hub.kill('SIGKILL');

  const pending = await client.eval('return await globalThis.pending');
  const failedAfterMs = Date.now() - killedAt;
  expect(pending).toMatchObject({ ok: false, error: { code: 'PEER_DISCONNECTED', isError: true } });
  expect(failedAfterMs).toBeLessThan(3_000); // at once, not after the 60 s call timeout
  await client.waitForReport('disconnect', { peer: 'supervision' }, { from: crash });
  expect(
    await client.eval(
      "return { connected: peers('supervision').isConnected(), call: await settle(peers('supervision').call('lab', 'whoami')) }",
    ),
  ).toMatchObject({
    connected: false,
    call: { ok: false, error: { code: 'PEER_DISCONNECTED' } },
  });

  // the hub comes back on the same path (the dead one left its socket file behind)
  hub = await startHub();
  await connected(client, ['supervision', 'driver_modbus_1'], crash);
  await connected(driver, ['supervision'], driverCrash);
  expect(client.reportsOf('connect', { peer: 'supervision' })).toHaveLength(2);

  // calls work again, to the hub and through it
  expect(await client.eval("return (await peers('supervision').require('lab')).whoami()")).toMatchObject({
    name: 'supervision',
    pid: hub.process.pid as number,
  });
  expect(await client.eval("return peers('driver_modbus_1').call('lab', 'whoami')")).toMatchObject([
    { name: 'driver_modbus_1' },
  ]);

  // the listeners registered before the crash are subscribed again, by the client alone
  await hub.waitForReport('listener', { emitter: 'peerEvents', event: 'newValue 4/7/25', change: 'added' });
  await driver.waitForReport(
    'listener',
    { emitter: 'peerEvents', event: 'reading', change: 'added' },
    { from: driverCrash },
  );
  await hub.eval("gateways.writeValue('4/7/25', 2, () => {})");
  await driver.eval("peers.peerEvents().emit('reading', 'after')");
  const value = await client.waitForReport('event', { tag: 'value' }, { from: crash });
  const reading = await client.waitForReport('event', { tag: 'reading' }, { from: crash });
  expect(value.args).toEqual(['4/7/25', 2, '2', expect.objectContaining({ $type: 'Date' })]);
  expect(reading.args).toEqual(['after']);
  expect(await client.eval('return peers.listenerCount()')).toBe(listenersBefore);
});
