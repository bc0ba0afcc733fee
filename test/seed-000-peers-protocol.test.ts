/**
 * Seed 000 (the peers protocol page): every code sample, cut verbatim out of the page, runs in a
 * client process (fixtures/seed-harness.cjs) against a `supervision` hub process over a UNIX
 * socket, and each test asserts what the sample is documented to do (see support/seed-page.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Wire } from './support/children.js';
import { connected, startAgent } from './support/mesh.js';
import { useSeedPage } from './support/seed-page.js';

const { children, sample, setup, run, probe, calledWith, startHub, startHarness, freshSocket } = useSeedPage();

describe('seed 000: the peers protocol page, sample by sample', () => {
  it("var peers = require('peers')('myClientName') gives the function-object, named on the mesh", async () => {
    const code = sample({
      first: "var peers = require('peers')('myClientName')",
      last: "var peers = require('peers')('myClientName')",
    });
    const socket = freshSocket();
    const hub = await startHub(socket);
    const client = await startHarness(socket);

    await run(client, code);

    expect(
      await probe(
        client,
        `return {
        type: typeof peers, name: peers.peerName,
        methods: ['share', 'connect', 'listen', 'on', 'once', 'removeListener', 'connectedPeers', 'listenerCount', 'peerEvents']
          .filter((m) => typeof peers[m] === 'function'),
        handle: typeof peers('supervision').require,
      }`,
      ),
    ).toEqual({
      type: 'function',
      name: 'myClientName',
      methods: [
        'share',
        'connect',
        'listen',
        'on',
        'once',
        'removeListener',
        'connectedPeers',
        'listenerCount',
        'peerEvents',
      ],
      handle: 'function',
    });
    await probe(client, 'harness.alias(); await harness.connect()');
    await hub.waitForReport('connect', { peer: 'myClientName' });
    expect(await hub.eval('return peers.connectedPeers()')).toEqual(['myClientName']);
  });

  it('share, require and on, as in the overview', async () => {
    const code = sample({
      first: "peers.share('myModule', myObject) // expose myModule to other peers",
      last: "peers('supervision').on('newValue 4/7/25', cb) // listen to events from the 'supervision' peer",
    });
    const { hub, client } = await setup();

    await run(client, code);

    // require's callback got the proxy of the hub's gateways module
    const required = await client.waitFor(calledWith('cb'));
    expect(required.args).toEqual([null, { writeValue: expect.objectContaining({ $type: 'Function' }) }]);
    // the hub can use myModule
    expect(await hub.eval("return (await peers('myClientName').require('myModule')).greet('supervision')")).toBe(
      'hello supervision',
    );
    // the event listener gets the hub's newValue events
    await probe(client, 'await harness.barrier()');
    await hub.eval("gateways.writeValue('4/7/25', 42, () => {})");
    const event = await client.waitFor((r) => calledWith('cb')(r as never) && (r.args as Wire[])[0] === '4/7/25');
    expect(event.args).toEqual(['4/7/25', 42, '42', expect.objectContaining({ $type: 'Date' })]);
  });

  it("require('gateways') then writeValue reaches the hub", async () => {
    const code = sample({
      first: "peer('supervision').require('gateways', function(err, gateways){",
      last: '})',
      after: 'External clients never call peers.connect() directly',
    });
    expect(code.split('\n')).toHaveLength(6);
    const { hub, client } = await setup();

    await run(client, code);

    const write = await hub.waitForReport('write', { key: '4/7/25' });
    expect(write.value).toBe(1);
    await probe(client, 'await harness.barrier()'); // the write's callback has run by now
    expect(client.reportsOf('console')).toEqual([]); // neither console.error branch was taken
  });

  it("share('temperatureSensor', ...) exposes read and setUnit", async () => {
    const code = sample({ first: "peers.share('temperatureSensor', {", last: '})' });
    const { hub, client } = await setup();

    expect(await run(client, code)).toEqual(expect.objectContaining({ $type: 'Function' })); // share returns peers

    expect(
      await hub.eval(`
        const sensor = await peers('myClientName').require('temperatureSensor');
        const read = await new Promise((resolve) => sensor.read((...results) => resolve(results)));
        const setUnit = await new Promise((resolve) => sensor.setUnit('F', (...results) => resolve(results)));
        return { methods: Object.keys(sensor).sort(), read, setUnit };
      `),
    ).toEqual({ methods: ['read', 'setUnit'], read: [null, 21.7], setUnit: [null] });
  });

  it('share with a filter refuses a non-admin caller and allows admin_x', async () => {
    const code = sample({ first: "peers.share('adminTools', adminToolsObject, function(callerPeerName){", last: '})' });
    const { socket, hub, client } = await setup();
    await run(client, code);
    const { child: admin } = await startAgent(children, { name: 'admin_x', connect: socket });
    await connected(admin, ['supervision', 'myClientName']);

    // `supervision` is not an admin: refused on require and on a direct call
    expect(
      await hub.eval(`return {
        require: await settle(peers('myClientName').require('adminTools')),
        call: await settle(peers('myClientName').call('adminTools', 'restart', ['gateway 12'])),
      }`),
    ).toMatchObject({
      require: { ok: false, error: { code: 'PEERS_FORBIDDEN', isError: true } },
      call: { ok: false, error: { code: 'PEERS_FORBIDDEN' } },
    });
    // admin_x, two hops away through the hub, is allowed
    expect(await admin.eval("return (await peers('myClientName').require('adminTools')).restart('gateway 12')")).toBe(
      'restarted gateway 12',
    );
  });
});
