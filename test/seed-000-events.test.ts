/**
 * Seed 000 (the peers protocol page): every code sample, cut verbatim out of the page, runs in a
 * client process (fixtures/seed-harness.cjs) against a `supervision` hub process over a UNIX
 * socket, and each test asserts what the sample is documented to do (see support/seed-page.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Child, Wire } from './support/children.js';
import { connected, startAgent } from './support/mesh.js';
import { fillPlaceholders } from './support/seed-samples.js';
import { useSeedPage } from './support/seed-page.js';

const { children, sample, setup, run, probe, calledWith, startHub, startHarness, freshSocket } = useSeedPage();

describe('seed 000: the peers protocol page, sample by sample (events and connections)', () => {
  it("peer('supervision').on('newValue 4/7/25', ...) fires with (address, value, value_string, value_date)", async () => {
    const code = sample({
      first: "peer('supervision').on('newValue 4/7/25', function(address, value, value_string, value_date){",
      last: '})',
    });
    const { hub, client } = await setup();

    await run(client, code);
    // a second listener records every argument the event carries
    await probe(client, "peer('supervision').on('newValue 4/7/25', cb); await harness.barrier()");
    const before = Date.now();
    await hub.eval("gateways.writeValue('4/7/25', 7, () => {})");

    const logged = await client.waitForReport('console', { method: 'log' });
    expect(logged.args).toEqual(['value changed', 7]);
    const event = await client.waitFor(calledWith('cb'));
    expect(event.args).toEqual(['4/7/25', 7, '7', { $type: 'Date', iso: expect.any(String) }]);
    expect(Math.abs(Date.parse((event.args as Wire[])[3].iso) - before)).toBeLessThan(60_000);
  });

  it("peer('supervision').once('gatewayState 12', ...) fires once", async () => {
    const original = sample({
      first: "peer('supervision').once('gatewayState 12', function(state){ ... })",
      last: "peer('supervision').once('gatewayState 12', function(state){ ... })",
    });
    const { code, count } = fillPlaceholders(original, 'once');
    expect(count).toBe(1);
    const { hub, client } = await setup();
    await probe(client, "peer('supervision').on('gatewayState 13', cb)"); // a later event, to know the earlier ones arrived

    await run(client, code);
    await probe(client, 'await harness.barrier()');
    await hub.eval(`
      peers.peerEvents().emit('gatewayState 12', 'online');
      peers.peerEvents().emit('gatewayState 12', 'offline');
      peers.peerEvents().emit('gatewayState 13', 'sentinel');
    `);

    await client.waitFor(calledWith('cb'));
    expect(client.reportsOf('placeholder').map((r) => r.args)).toEqual([['online']]);
    expect(await probe(client, "return peers.listenerCount('gatewayState 12')")).toBe(0);
    await probe(client, 'await harness.barrier()');
    expect(await hub.eval("return peers.peerEvents().listenerCount('gatewayState 12')")).toBe(0); // interest withdrawn
  });

  it("peer('supervision').removeListener('newValue 4/7/25', myHandler) stops delivery", async () => {
    const code = sample({
      first: "peer('supervision').removeListener('newValue 4/7/25', myHandler)",
      last: "peer('supervision').removeListener('newValue 4/7/25', myHandler)",
    });
    const { hub, client } = await setup();
    await probe(
      client,
      "peer('supervision').on('newValue 4/7/25', myHandler); peer('supervision').on('newValue 4/7/26', cb); await harness.barrier()",
    );
    await hub.eval("gateways.writeValue('4/7/25', 1, () => {})");
    await client.waitFor(calledWith('myHandler'));

    await run(client, code);
    await probe(client, 'await harness.barrier()');

    expect(await hub.eval("return peers.peerEvents().listenerCount('newValue 4/7/25')")).toBe(0); // nothing forwarded any more
    await hub.eval("gateways.writeValue('4/7/25', 2, () => {}); gateways.writeValue('4/7/26', 3, () => {})");
    await client.waitFor(calledWith('cb')); // 4/7/26 came after 4/7/25 on the same link
    expect(client.reports.filter(calledWith('myHandler')).map((r) => (r.args as Wire[])[1])).toEqual([1]);
  });

  it("peers.peerEvents().emit('myCustomEvent', 'arg1', 'arg2') reaches a listening peer", async () => {
    const code = sample({
      first: "peers.peerEvents().emit('myCustomEvent', 'arg1', 'arg2')",
      last: "peers.peerEvents().emit('myCustomEvent', 'arg1', 'arg2')",
    });
    const { hub, client } = await setup();
    await hub.eval("track('custom', peers('myClientName'), 'myCustomEvent'); await barrier('myClientName')");

    expect(await run(client, code)).toBe(true);

    const event = await hub.waitForReport('event', { tag: 'custom' });
    expect(event.args).toEqual(['arg1', 'arg2']);
  });

  it("var ok = peer('supervision').emit('hello', 'world') is true and the hub gets it", async () => {
    const code = sample({
      first: "var ok = peer('supervision').emit('hello', 'world')",
      last: "var ok = peer('supervision').emit('hello', 'world')",
    });
    const { hub, client } = await setup();
    await hub.eval("track('hello', peers.peerEvents(), 'hello')");

    await run(client, code);

    expect(await probe(client, 'return ok')).toBe(true);
    expect((await hub.waitForReport('event', { tag: 'hello' })).args).toEqual(['world']);
    // not delivered: false
    await probe(client, 'peers.disconnect()');
    await run(client, code);
    expect(await probe(client, 'return ok')).toBe(false);
  });

  it("peers.on('connect' | 'connect supervision' | 'disconnect' | 'disconnect supervision' | 'error', ...)", async () => {
    const original = sample({
      first: "peers.on('connect', function(peerName){ ... })",
      last: "peers.on('error', function(peerName, err){ ... })",
    });
    const { code, count } = fillPlaceholders(original, 'events');
    expect(count).toBe(5);
    const { socket, hub, client } = await setup({ connect: false });
    await run(client, code);
    const args = (id: string) => client.reportsOf('placeholder', { id }).map((r) => r.args);

    await probe(client, 'await harness.connect()');
    expect(args('events#1')).toEqual([['supervision']]); // connect
    expect(args('events#2')).toHaveLength(1); // connect supervision

    await hub.kill();
    await client.waitForReport('placeholder', { id: 'events#4' }); // disconnect supervision
    expect(args('events#3')).toEqual([['supervision']]); // disconnect
    // redialing the dead hub fails: error(where, err). (The dying link may report its own error
    // first, named after the peer; each error event carries a name and an Error.)
    const dialError = await client.waitFor(
      (r) => r.type === 'placeholder' && r.id === 'events#5' && (r.args as Wire[])[0] === `unix:${socket}`,
    );
    expect((dialError.args as Wire[])[1]).toMatchObject({
      isError: true,
      code: expect.stringMatching(/^(ECONNREFUSED|ENOENT)$/),
    });
    for (const error of args('events#5'))
      expect(error).toEqual([expect.any(String), expect.objectContaining({ isError: true })]);
  });

  it("peers.connect('/tmp/supervision.sock') then once('connect supervision') requires gateways", async () => {
    const code = sample({ first: "peers.connect('/tmp/supervision.sock')", last: '})' });
    expect(code.split('\n')).toHaveLength(6);
    const { hub, client } = await setup({ connect: false });

    await run(client, code);

    await client.waitForReport('redirected', { from: '/tmp/supervision.sock' });
    await hub.waitForReport('connect', { peer: 'myClientName' });
    await hub.waitForReport('gateways-access', { caller: 'myClientName' }); // the require reached the hub
    expect(await probe(client, "return [peers.connectedPeers(), peers.listenerCount('connect supervision')]")).toEqual([
      ['supervision'],
      0,
    ]);
  });

  it('peers.connectedPeers() lists the names on the mesh', async () => {
    const line = "peers.connectedPeers() // → ['supervision', 'driver_modbus_1', 'webserver', ...]";
    const code = sample({ first: line, last: line });
    const socket = freshSocket();
    const hub = await startHub(socket);
    await Promise.all(['driver_modbus_1', 'webserver'].map((name) => startAgent(children, { name, connect: socket })));
    await connected(hub, ['driver_modbus_1', 'webserver']);
    const client = await startHarness(socket);
    await probe(client, "harness.create(); await harness.connect(['supervision', 'driver_modbus_1', 'webserver'])");

    const names = (await run(client, code)) as string[];

    expect([...names].sort()).toEqual(['driver_modbus_1', 'supervision', 'webserver']);
  });

  it("peer('supervision').isConnected() is true, then false once the hub is gone", async () => {
    const code = sample({
      first: "peer('supervision').isConnected() // → true / false",
      last: "peer('supervision').isConnected() // → true / false",
    });
    const { hub, client } = await setup();

    expect(await run(client, code)).toBe(true);
    await probe(client, "harness.down = new Promise((resolve) => peers.once('disconnect supervision', resolve))");
    await hub.kill();
    await probe(client, 'await harness.down');
    expect(await run(client, code)).toBe(false);
  });

  it('peers.listenerCount() counts listeners on peers, remote peers and module proxies', async () => {
    const line = 'peers.listenerCount() // total active listeners — useful for leak detection';
    const code = sample({ first: line, last: line });
    const { client } = await setup();

    expect(await run(client, code)).toBe(0);
    await probe(
      client,
      `
      peers.on('disconnect', myHandler);
      peer('supervision').on('newValue 4/7/25', onValue);
      (await peer('supervision').require('gateways')).on('newValue 4/7/25', cb);
    `,
    );
    expect(await run(client, code)).toBe(3);
    await probe(
      client,
      `
      peers.removeListener('disconnect', myHandler);
      peer('supervision').removeListener('newValue 4/7/25', onValue);
      (await peer('supervision').require('gateways')).removeListener('newValue 4/7/25', cb);
    `,
    );
    expect(await run(client, code)).toBe(0);
  });

  it('attach/detach on connect/disconnect: listenerCount goes back to its start value, across a reconnect', async () => {
    const code = sample({ first: 'function attach(){', last: "peers.on('disconnect supervision', detach)" });
    expect(code.split('\n')).toHaveLength(12);
    const { socket, hub, client } = await setup({ connect: false });
    const count = async (): Promise<number> => probe(client, 'return peers.listenerCount()');
    const attached = (h: Child, from = 0) =>
      h.waitForReport('listener', { emitter: 'gateways', event: 'newValue 4/7/25', change: 'added' }, { from });
    const disconnected = "harness.down = new Promise((resolve) => peers.once('disconnect supervision', resolve))";
    // after 'disconnect supervision' runs detach(), a later require on the same handle settles after detach's
    const detached = "await harness.down; await peer('supervision').require('gateways').catch(() => {})";

    await run(client, code);
    const start = await count();
    expect(start).toBe(2); // the two handlers of the pattern

    await probe(client, 'harness.connect()');
    await attached(hub);
    expect(await count()).toBe(start + 1);
    await hub.eval("gateways.writeValue('4/7/25', 5, () => {})");
    expect((await client.waitFor(calledWith('onValue'))).args).toEqual([
      '4/7/25',
      5,
      '5',
      expect.objectContaining({ $type: 'Date' }),
    ]);

    await probe(client, disconnected);
    await hub.kill();
    await probe(client, detached);
    expect(await count()).toBe(start);

    // the hub comes back: attach runs again, and only one listener is live
    const hub2 = await startHub(socket);
    await attached(hub2);
    expect(await count()).toBe(start + 1);
    await hub2.eval("gateways.writeValue('4/7/25', 6, () => {})");
    await client.waitFor((r) => calledWith('onValue')(r as never) && (r.args as Wire[])[1] === 6);
    await probe(client, 'await harness.barrier()');
    expect(client.reports.filter((r) => calledWith('onValue')(r as never) && (r.args as Wire[])[1] === 6)).toHaveLength(
      1,
    );

    await probe(client, disconnected);
    await probe(client, 'peers.disconnect()');
    await probe(client, detached);
    expect(await count()).toBe(start);
  });

  it('require returns the same proxy each time, and a method added remotely appears on the next require', async () => {
    const { hub, client } = await setup();
    expect(
      await probe(
        client,
        "harness.gateways = await peer('supervision').require('gateways'); return Object.keys(harness.gateways)",
      ),
    ).toEqual(['writeValue']);

    await hub.eval("gateways.readValue = function readValue(key, callback) { callback(null, 'value of ' + key) }");

    expect(
      await probe(
        client,
        `
        const again = await peer('supervision').require('gateways');
        return { same: again === harness.gateways, methods: Object.keys(again).sort(), read: await again.readValue('4/7/25') };
      `,
      ),
    ).toEqual({ same: true, methods: ['readValue', 'writeValue'], read: 'value of 4/7/25' });
  });

  it('arguments and results: Buffer, Error and Date round trip', async () => {
    const { client } = await setup();

    const result = await probe(
      client,
      `
      const lab = await peer('supervision').require('lab');
      const buffer = Buffer.from([0, 1, 2, 254, 255]);
      const date = new Date('2024-05-06T07:08:09.010Z');
      const error = new Error('gateway 12 unreachable');
      const there = { buffer: await lab.inspect(buffer), date: await lab.inspect(date), error: await lab.inspect(error) };
      const back = await new Promise((resolve, reject) => lab.echo(buffer, date, error, (err, ...results) => (err ? reject(err) : resolve(results))));
      return {
        there,
        back: {
          buffer: Buffer.isBuffer(back[0]) && back[0].equals(buffer),
          date: back[1] instanceof Date && back[1].getTime() === date.getTime(),
          error: back[2] instanceof Error && back[2].message === error.message && back[2].stack === error.stack,
        },
        stack: error.stack,
      };
    `,
    );

    expect(result.there.buffer).toMatchObject({ isBuffer: true, length: 5 });
    expect(result.there.date).toMatchObject({ isDate: true, time: Date.parse('2024-05-06T07:08:09.010Z') });
    expect(result.there.error).toMatchObject({ isError: true, message: 'gateway 12 unreachable', stack: result.stack });
    expect(result.back).toEqual({ buffer: true, date: true, error: true });
  });
});
