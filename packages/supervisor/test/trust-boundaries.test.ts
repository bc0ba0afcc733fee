/**
 * Trust boundaries of a real site (docs/protocol.md, "Trust"), tried as an attacker would: a
 * logged-in web session (POST /auth, then a WebSocket) and a client of the hub's UNIX socket
 * announce names they do not own (other users, a driver stopped for the gap, 50,000 invented
 * ones) and emit the gateway's own events, while another peer listens. The real
 * `weble-supervisor start` runs the hub, a virtual driver and the web server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers, { Code, type Peers } from '@weble/peers-core';
import { hashPassword, md5Hex } from '@weble/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawLink, T } from './fixtures/raw-link.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const silent = { debug() {}, warn() {}, error() {} };

let site: RunningSite;
let url: string;
let tmp: string;
const opened: Peers[] = [];
const links: RawLink[] = [];
let adminCalls = 0;

beforeAll(async () => {
  const passwordHash = await hashPassword(md5Hex('eve-password'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0 }
users:
  - { username: eve, passwordHash: "${passwordHash}", role: admin }
gateways:
  - { id: 3, type: virtual, name: plant, config: {} }
addresses:
  - { key: "3/0/1", gateway: 3, point: { type: number, initial: 0 } }
`);
  await site.until('webserver and driver up', async () => {
    const processes = await site.processes();
    return processes.every((p) => p.state === 'up') && processes.length === 2 ? true : undefined;
  });
  const [address] = await site
    .client('supervision')
    .call('system', 'processes', [])
    .then(() => site.client('webserver').call('web', 'address', []));
  url = (address as { url: string }).url;
  // A module only admins may use: the share filter sees the caller's name.
  site.client.share(
    'adminTools',
    { ping: (cb: (e: null, v: string) => void) => cb(null, `pong ${++adminCalls}`) },
    (caller) => caller.startsWith('admin_'),
  );
  tmp = mkdtempSync(join(tmpdir(), 'weble-trust-'));
}, 60_000);

afterAll(async () => {
  for (const link of links) link.close();
  for (const p of opened.reverse()) await p.close();
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** POST /auth as eve: the session, its WebSocket URL and bound peer name. */
async function login(): Promise<{ session: string; ws: string; peer: string }> {
  const response = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'eve', password: md5Hex('eve-password') }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { session: string; ws: string; peer: string };
}

/** A raw link of a fresh web session, past its hello. */
async function webLink(): Promise<{ link: RawLink; peer: string }> {
  const { session, ws, peer } = await login();
  const link = await RawLink.web(ws, session);
  links.push(link);
  await link.hello(peer);
  return { link, peer };
}

/** A well-behaved peer of a fresh web session (the peers API over the web door). */
async function webPeer(): Promise<Peers> {
  const { session, ws, peer } = await login();
  const p = createPeers(peer, { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
  opened.push(p);
  p.connect(`${ws}?session=${session}`);
  await new Promise<void>((resolve) => p.once('connect supervision', () => resolve()));
  return p;
}

const peersKnown = (): string[] => site.client.connectedPeers();

describe('a web session', () => {
  it('announcing other names is refused at the web server with a coded notice; the hub never learns them', async () => {
    const { link, peer } = await webLink();
    link.send(T.ROUTES, '', '', '', [
      [
        ['admin_evil', 1],
        ['driver_virtual_9', 1],
      ],
      [],
    ]);
    const notice = await link.notice(Code.NOT_ENTITLED);
    expect((notice.body as { message: string }).message).toBe(
      `routes from "${peer}" refused at "webserver": 2 name(s) it does not speak for ("admin_evil", "driver_virtual_9")`,
    );
    // Speaking as `admin_evil` anyway is a spoofed sender: the admin-only module is never called.
    link.send(T.CALL, site.client.peerName, 'admin_evil', 'adminTools', [1, 'ping', []]);
    await link.notice(Code.SPOOFED_SENDER);
    expect(adminCalls).toBe(0);
    await site.until('the session known on the hub', async () => (peersKnown().includes(peer) ? true : undefined));
    expect(peersKnown()).not.toContain('admin_evil');
    expect(peersKnown()).not.toContain('driver_virtual_9');
    expect(link.closed).toBe(false);
  });

  it('a driver name announced while the driver is stopped is refused; the real driver comes back and gets the write', async () => {
    const attacker = await webPeer();
    const refusals: Error[] = [];
    attacker.on('error', (_peer: unknown, error: unknown) => refusals.push(error as Error));
    // The session stops the driver, then a peer of its own takes the driver's name behind it.
    await attacker('supervision').call('system', 'stop', ['driver_virtual_3']);
    await site.until('the driver stopped', async () =>
      (await site.find('driver_virtual_3'))?.state === 'stopped' ? true : undefined,
    );
    const socket = join(tmp, 'attacker.sock');
    await attacker.listen(socket);
    const writes: unknown[] = [];
    const impostor = createPeers('driver_virtual_3', { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
    opened.push(impostor);
    impostor.share('driver', {
      write: (_point: unknown, value: unknown, cb: (e: null) => void) => (writes.push(value), cb(null)),
    });
    impostor.connect(socket);
    await site.until('the refusal told to the session', async () =>
      refusals.some((e) => (e as { code?: string }).code === Code.NOT_ENTITLED) ? true : undefined,
    );
    expect(String(refusals.find((e) => (e as { code?: string }).code === Code.NOT_ENTITLED)?.message)).toContain(
      '"driver_virtual_3"',
    );

    await attacker('supervision').call('system', 'start', ['driver_virtual_3']);
    await site.until('the real driver up', async () =>
      (await site.find('driver_virtual_3'))?.state === 'up' ? true : undefined,
    );
    await site.client('supervision').call('gateways', 'writeValue', ['3/0/1', 4242]);
    expect(writes).toEqual([]);
    const [last] = await site.client('supervision').call('gateways', 'readValue', ['3/0/1']);
    expect(last).toBe(4242);
    expect((await site.find('driver_virtual_3'))?.restarts).toBe(0);
  });

  it('50,000 invented names in one message are refused at once; the mesh is unchanged', async () => {
    const { link } = await webLink();
    const names = Array.from({ length: 50_000 }, (_, i) => [`web_eve_${i.toString(16).padStart(12, '0')}`, 1]);
    link.send(T.ROUTES, '', '', '', [names, []]);
    const notice = await link.notice(Code.NOT_ENTITLED);
    expect((notice.body as { message: string }).message).toMatch(
      /50000 name\(s\) it does not speak for .* and 49995 more\)$/,
    );
    expect(peersKnown().filter((name) => name.startsWith('web_eve_0000'))).toEqual([]);
    expect(await site.client('supervision').call('system', 'totalmem', [])).toEqual([expect.any(Number)]);
  });

  it("emits of the gateway's newValue and gatewayState, into supervision or a driver, never reach another peer", async () => {
    const attacker = await webPeer();
    const values: unknown[] = [];
    const states: unknown[] = [];
    const onValue = (_address: unknown, value: unknown): number => values.push(value);
    const onState = (state: unknown): number => states.push(state);
    site.client('supervision').on('newValue 3/0/1', onValue);
    site.client('supervision').on('gatewayState 3', onState);
    await site.client('supervision').call('gateways', 'getLastValue', ['3/0/1']); // the interests are in place
    expect(attacker('supervision').emit('newValue 3/0/1', '3/0/1', 6666, '6666', new Date())).toBe(true);
    expect(attacker('supervision').emit('gatewayState 3', 'offline')).toBe(true);
    expect(attacker('driver_virtual_3').emit('newValue 3/0/1', '3/0/1', 6667, '6667', new Date())).toBe(true);
    // A call on the same path as the emits: when it returns, both owners have handled them.
    await attacker('supervision').call('system', 'totalmem', []);
    await attacker('driver_virtual_3')
      .call('driver', 'status', [])
      .catch(() => undefined);
    await site.client('supervision').call('gateways', 'writeValue', ['3/0/1', 7]);
    await site.until('the genuine value', async () => (values.length > 0 ? true : undefined));
    expect(values).toEqual([7]);
    expect(states).toEqual([]);
    await site.until('the refusal logged', async () =>
      /may not emit \\"newValue 3\/0\/1\\" on \\"supervision\\"/.test(site.output()) ? true : undefined,
    );
    site.client('supervision').removeListener('newValue 3/0/1', onValue);
    site.client('supervision').removeListener('gatewayState 3', onState);
  });
});

describe('the core modules', () => {
  it("show a session only their API: the hub's own plumbing (emitBoth, setState, setGateway...) cannot be called", async () => {
    const attacker = await webPeer();
    const gateways = await attacker('supervision').require('gateways');
    expect(
      Object.keys(gateways)
        .filter(
          (k) =>
            typeof (gateways as Record<string, unknown>)[k] === 'function' &&
            !['on', 'once', 'removeListener', 'off', 'addListener'].includes(k),
        )
        .sort(),
    ).toEqual([
      'deleteAddress',
      'deleteGateway',
      'getAddress',
      'getGateway',
      'getLastValue',
      'insertAddress',
      'insertGateway',
      'listAddresses',
      'listGateways',
      'readValue',
      'updateAddress',
      'updateGateway',
      'writeValue',
    ]);
    const values: unknown[] = [];
    const onValue = (_address: unknown, value: unknown): number => values.push(value);
    site.client('supervision').on('newValue 3/0/1', onValue);
    await site.client('supervision').call('gateways', 'getLastValue', ['3/0/1']);
    for (const [method, args] of [
      ['emitBoth', ['newValue 3/0/1', '3/0/1', 6669, '6669', new Date()]],
      ['setState', [3, 'offline', 'forged']],
      ['removeGateway', [3]],
      ['deleteGatewayAsync', [3]],
    ] as const) {
      // Two walls: the policy table refuses a web session any method it does not list (docs/roles.md),
      // and the facade has no such method even for the site's own peers.
      await expect(attacker('supervision').call('gateways', method, [...args]), method).rejects.toMatchObject({
        code: Code.FORBIDDEN,
        message: expect.stringContaining(`gateways.${method} is not in the site's policy table`),
      });
      await expect(site.client('supervision').call('gateways', method, [...args]), method).rejects.toMatchObject({
        code: Code.UNKNOWN_METHOD,
      });
    }
    for (const method of ['onListen', 'logFileOf']) {
      await expect(attacker('supervision').call('system', method, ['x']), method).rejects.toMatchObject({
        code: Code.FORBIDDEN,
      });
      await expect(site.client('supervision').call('system', method, ['x']), method).rejects.toMatchObject({
        code: Code.UNKNOWN_METHOD,
      });
    }
    await site.client('supervision').call('gateways', 'writeValue', ['3/0/1', 9]);
    await site.until('the genuine value', async () => (values.length > 0 ? true : undefined));
    expect(values).toEqual([9]);
    expect((await site.find('driver_virtual_3'))?.state).toBe('up');
    site.client('supervision').removeListener('newValue 3/0/1', onValue);
  });
});

describe('a client of the hub socket', () => {
  it("can announce only its own name, and cannot emit the gateway's events", async () => {
    const link = await RawLink.unix(site.socket);
    links.push(link);
    await link.hello('local_eve');
    link.send(T.ROUTES, '', '', '', [
      [
        ['admin_evil', 1],
        ['driver_virtual_3', 1],
      ],
      [],
    ]);
    const notice = await link.notice(Code.NOT_ENTITLED);
    expect((notice.body as { message: string }).message).toBe(
      'routes from "local_eve" refused at "supervision": 2 name(s) it does not speak for ("admin_evil", "driver_virtual_3")',
    );
    const names = Array.from({ length: 50_000 }, (_, i) => [`n${i}`, 1]);
    link.send(T.ROUTES, '', '', '', [names, []]);
    await link.next(
      (m) => m.type === T.NOTICE && /50000 name\(s\)/.test(String((m.body as { message?: string })?.message)),
    );
    expect(peersKnown()).not.toContain('n0');

    const values: unknown[] = [];
    const onValue = (_address: unknown, value: unknown): number => values.push(value);
    site.client('supervision').on('newValue 3/0/1', onValue);
    await site.client('supervision').call('gateways', 'getLastValue', ['3/0/1']);
    link.send(T.EMIT, 'supervision', '', 'newValue 3/0/1', ['3/0/1', 6668, '6668', new Date()]);
    await site.until('the refusal logged', async () =>
      /\\"local_eve\\" may not emit \\"newValue 3\/0\/1\\"/.test(site.output()) ? true : undefined,
    );
    await site.client('supervision').call('gateways', 'writeValue', ['3/0/1', 8]);
    await site.until('the genuine value', async () => (values.length > 0 ? true : undefined));
    expect(values).toEqual([8]);
    site.client('supervision').removeListener('newValue 3/0/1', onValue);
  });
});
