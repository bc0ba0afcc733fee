/**
 * What a federation offers besides routes, between real hubs over loopback TLS (a chain
 * site-a - site-b - site-c, so site-a reaches site-c through site-b): actions with errors carried
 * as errors and runs that always settle, selection by property, datagrams and the dgram-like
 * socket with a hop limit, responsibility moving when a site joins with `environment::*` events,
 * and the same through the `federation` module.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteRef } from '../src/federation/federate.js';
import { federationModule } from '../src/federation/federation-module.js';
import { createPeers } from '../src/create-peers.js';
import { until } from './helpers.js';
import { certificate, silent, startHub, type Hub } from './federation-helpers.js';

let cert: { cert: string; key: string };
const hubs: Hub[] = [];
let a: Hub;
let b: Hub;
let c: Hub;

async function hub(site: string, known: Hub[], extra: Parameters<typeof startHub>[3] = {}): Promise<Hub> {
  const h = await startHub(site, cert, known, {
    settleMs: 50,
    actionTimeoutMs: 5000,
    metadata: { building: site.toUpperCase(), role: site === 'site-b' ? 'relay' : 'meter' },
    ...extra,
  });
  hubs.push(h);
  return h;
}

const reaches = (h: Hub, site: string): boolean => h.federation.sites().includes(site);

beforeAll(async () => {
  cert = certificate();
  a = await hub('site-a', []);
  b = await hub('site-b', [a]);
  c = await hub('site-c', [b]);
  await until(() => reaches(a, 'site-c') && reaches(c, 'site-a'), 10_000);
  for (const h of [a, b, c]) {
    h.federation.handle.echo = (payload, done) => done(null, { site: h.site, payload });
  }
});

afterAll(async () => {
  for (const h of hubs.reverse()) await h.peers.close();
});

function runOn(
  from: Hub,
  target: Parameters<Hub['federation']['remote']>[0],
  action: string,
  payload: unknown,
  timeoutMs?: number,
): Promise<unknown> {
  return new Promise((resolve, reject) =>
    from.federation
      .remote(target, timeoutMs ? { timeoutMs } : {})
      .run(action, payload, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

describe('actions', () => {
  it('runs handle/<name> on a site two hops away, by name and by {host, port}', async () => {
    expect(a.federation.known().find((k) => k.site === 'site-c')?.path).toEqual(['site-b', 'site-c']);
    expect(await runOn(a, 'site-c', 'handle/echo', { n: 1 })).toEqual({ site: 'site-c', payload: { n: 1 } });
    expect(await runOn(a, c.at, 'handle/echo', [1, 2])).toEqual({ site: 'site-c', payload: [1, 2] });
    expect(await runOn(a, { site: 'site-a' }, 'handle/echo', 'here')).toEqual({ site: 'site-a', payload: 'here' });
  });

  it('carries errors back as errors (name, message, code); a missing action or site is coded', async () => {
    c.federation.handle.fails = (_payload, done) =>
      done(Object.assign(new RangeError('valve 7 is out of range'), { code: 'E_VALVE' }));
    c.federation.handle.throws = () => {
      throw new Error('thrown by the action');
    };
    c.federation.handle.rejects = async () => Promise.reject(new TypeError('rejected by the action'));
    await expect(runOn(a, 'site-c', 'handle/fails', null)).rejects.toMatchObject({
      name: 'RangeError',
      message: 'valve 7 is out of range',
      code: 'E_VALVE',
    });
    await expect(runOn(a, 'site-c', 'handle/throws', null)).rejects.toMatchObject({ message: 'thrown by the action' });
    await expect(runOn(a, 'site-c', 'handle/rejects', null)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'rejected by the action',
    });
    await expect(runOn(a, 'site-c', 'handle/nothing', null)).rejects.toMatchObject({
      code: 'PEERS_UNKNOWN_ACTION',
      message: expect.stringContaining('site "site-c" has no action "nothing"'),
    });
    await expect(runOn(a, 'site-c', 'handle/toString', null)).rejects.toMatchObject({ code: 'PEERS_UNKNOWN_ACTION' });
    await expect(runOn(a, 'site-c', 'echo', null)).rejects.toMatchObject({ code: 'PEERS_BAD_ARGUMENT' });
    await expect(runOn(a, 'site-zz', 'handle/echo', null)).rejects.toMatchObject({ code: 'PEER_DISCONNECTED' });
    await expect(runOn(a, { host: '127.0.0.1', port: 1 }, 'handle/echo', null)).rejects.toMatchObject({
      code: 'PEER_DISCONNECTED',
      message: expect.stringContaining('127.0.0.1:1'),
    });
  });

  it('a run that gets no answer settles with ETIMEDOUT, remote or local, and leaves nothing pending', async () => {
    for (const h of [a, c]) h.federation.handle.never = () => undefined;
    const remote = runOn(a, 'site-c', 'handle/never', null, 200);
    const local = runOn(a, 'site-a', 'handle/never', null, 200);
    expect(a.federation.pending()).toBe(2);
    await expect(remote).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await expect(local).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(a.federation.pending()).toBe(0);
  });

  it('other sites cannot call the actions module of a hub by another name than its hub', async () => {
    const local = createPeers('local_peer', { logger: silent });
    const listener = await b.peers.listen({ host: '127.0.0.1', port: 0 });
    local.connect({ host: '127.0.0.1', port: listener.port! });
    await until(() => local.connectedPeers().includes('supervision'), 5000);
    await expect(local('supervision').call('federation.actions', 'run', ['echo', 1])).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
    });
    await local.close();
  });
});

describe('selection by property', () => {
  it('runs an action only on matching sites (case-insensitive, any of an array) and answers per site', async () => {
    const answers: Array<[string, unknown]> = [];
    const done = new Promise<unknown[]>((resolve) => {
      const selection = a.federation.select(
        { prop: 'building', value: ['site-b', 'SITE-C', 'nowhere'], action: 'handle/echo', payload: 'hi' },
        (error, result, site) => answers.push([site, error ?? result]),
        resolve,
      );
      expect([...selection.asked].sort()).toEqual(['site-b', 'site-c']);
    });
    expect(await done).toHaveLength(2);
    expect(answers.sort()).toEqual([
      ['site-b', { site: 'site-b', payload: 'hi' }],
      ['site-c', { site: 'site-c', payload: 'hi' }],
    ]);
    const one = a.federation.select({ count: 1, prop: 'role', value: 'METER', action: 'handle/echo' });
    expect(one.asked).toEqual(['site-c']);
    const relayed = a.federation.select({ prop: 'state', value: 'relayed', action: 'handle/echo' });
    expect(relayed.asked).toEqual(['site-c']);
    expect(a.federation.select({ prop: 'role', value: 'boiler', action: 'handle/echo' }).asked).toEqual([]);
    expect(() => a.federation.select({ prop: 'role', value: 'x', action: 'echo' })).toThrow(/handle\/<name>/);
  });

  it('the timeout releases every listener: sites that never answer get ETIMEDOUT, nothing is left waiting', async () => {
    b.federation.handle.never = () => undefined;
    const listenersBefore = a.peers.listenerCount();
    const errors: Array<[string, string]> = [];
    let selection: ReturnType<Hub['federation']['select']> | undefined;
    await new Promise((resolve) => {
      selection = a.federation.select(
        { prop: 'site', value: ['site-b', 'site-c'], action: 'handle/never', timeoutMs: 150 },
        (error, _r, site) => errors.push([site, (error as { code?: string }).code!]),
        resolve,
      );
      expect(selection.waiting().sort()).toEqual(['site-b', 'site-c']);
    });
    expect(errors.sort()).toEqual([
      ['site-b', 'ETIMEDOUT'],
      ['site-c', 'ETIMEDOUT'],
    ]);
    expect(selection!.waiting()).toEqual([]);
    expect(a.federation.pending()).toBe(0);
    expect(a.peers.listenerCount()).toBe(listenersBefore);
  });
});

describe('datagrams and sockets', () => {
  it('send(site, data) reaches a site two hops away as a message event', async () => {
    const got = new Promise<[unknown, string]>((resolve) =>
      c.federation.once('message', (data, from) => resolve([data, from])),
    );
    expect(a.federation.send('site-c', { reading: 21.5, raw: Buffer.from([1, 2, 3]) })).toBe(true);
    const [data, from] = await got;
    expect(from).toBe('site-a');
    expect(data).toMatchObject({ reading: 21.5 });
    expect(Buffer.from((data as { raw: Uint8Array }).raw)).toEqual(Buffer.from([1, 2, 3]));
    expect(a.federation.send('site-zz', 1)).toBe(false);
  });

  it('a dgram-like socket: bind, send(buf, off, len, port, site), message with rinfo, address, close', async () => {
    const server = c.federation.socket();
    const listening = new Promise<void>((resolve) => server.bind(4000, resolve));
    await listening;
    expect(server.address()).toEqual({ address: 'site-c', port: 4000, family: 'peer-relay' });
    expect(() => c.federation.socket().bind(4000)).toThrow(expect.objectContaining({ code: 'PEERS_ADDRESS_IN_USE' }));
    const client = a.federation.socket();
    const echoed = new Promise<[Buffer, { address: string; port: number }]>((resolve) =>
      client.on('message', (buf, rinfo) => resolve([buf, rinfo])),
    );
    server.on('message', (buf: Buffer, rinfo: { address: string; port: number }) =>
      server.send(Buffer.concat([Buffer.from('echo:'), buf]), 0, buf.length + 5, rinfo.port, rinfo.address),
    );
    const sent = await new Promise<number | undefined>((resolve, reject) =>
      client.send(Buffer.from('xxhelloxx'), 2, 5, 4000, 'site-c', (e, n) => (e ? reject(e) : resolve(n))),
    );
    expect(sent).toBe(5);
    const [buf, rinfo] = await echoed;
    expect(buf.toString()).toBe('echo:hello');
    expect(rinfo).toMatchObject({ address: 'site-c', port: 4000, family: 'peer-relay', size: 10 });
    expect(client.address()).toMatchObject({ address: 'site-a', family: 'peer-relay' });
    const unreachable = await new Promise<Error | null>((resolve) =>
      client.send(Buffer.from('x'), 0, 1, 4000, 'site-zz', resolve),
    );
    expect(unreachable).toMatchObject({ code: 'PEER_DISCONNECTED' });
    expect(() => client.send(Buffer.from('x'), 0, 2, 4000, 'site-c')).toThrow(
      expect.objectContaining({ code: 'PEERS_BAD_ARGUMENT' }),
    );
    await new Promise<void>((resolve) => server.close(resolve));
    await new Promise<void>((resolve) => client.close(resolve));
    expect(() => client.send(Buffer.from('x'), 0, 1, 4000, 'site-c')).toThrow(
      expect.objectContaining({ code: 'PEERS_CLOSED' }),
    );
    c.federation.socket().bind(4000).close(); // the port is free again
  });

  it('a datagram past its hop limit is dropped on the way; the next one with room goes through', async () => {
    const short = await hub('site-s', [a], { hopLimit: 2 });
    await until(() => reaches(short, 'site-c') && reaches(c, 'site-s'), 10_000);
    const got: unknown[] = [];
    const last = new Promise<void>((resolve) =>
      c.federation.on('message', (data) => (got.push(data), data === 'last' ? resolve() : undefined)),
    );
    const pathLength = short.federation.known().find((k) => k.site === 'site-c')!.path.length;
    expect(pathLength).toBe(3); // s -> a -> b -> c
    expect(short.federation.send('site-c', 'too far')).toBe(true);
    expect(short.federation.send('site-b', 'near')).toBe(true);
    expect(a.federation.send('site-c', 'last')).toBe(true);
    await last;
    expect(got).not.toContain('too far');
  });
});

describe('responsibility', () => {
  it('every site agrees on who is responsible; a site joining takes over some values and fires environment::*', async () => {
    const vals = Array.from({ length: 300 }, (_, i) => `sensor/${i}`);
    const ownerAt = (h: Hub, v: string): Promise<string> =>
      new Promise((resolve, reject) =>
        h.federation.getEndpointFor(v, (e, _endpoint, _m, site) => (e ? reject(e) : resolve(site!))),
      );
    await until(() => hubs.every((h) => h.federation.status() === 'joined'), 10_000);
    const before = await Promise.all(vals.map((v) => ownerAt(a, v)));
    expect(await Promise.all(vals.map((v) => ownerAt(c, v)))).toEqual(before);
    for (const [i, v] of vals.entries()) expect(b.federation.isResponsibleFor(v)).toBe(before[i] === 'site-b');
    const events: Array<[string, string, string | undefined]> = [];
    for (const h of hubs)
      h.federation.on('environment::*', (n: SiteRef | undefined, which) => events.push([h.site, which, n?.site]));
    const d = await hub('site-d', [c]);
    await until(() => hubs.every((h) => h.federation.sites().length === hubs.length - 1), 10_000);
    const after = await Promise.all(vals.map((v) => ownerAt(a, v)));
    const moved = vals.filter((_, i) => after[i] !== before[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const [i, v] of vals.entries()) if (after[i] !== before[i]) expect(after[i], v).toBe('site-d');
    expect(await Promise.all(vals.map((v) => ownerAt(d, v)))).toEqual(after);
    // The new site became someone's successor and someone's predecessor.
    expect(events).toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['successor', 'site-d']),
        expect.arrayContaining(['predecessor', 'site-d']),
      ]),
    );
    const env = d.federation.environment();
    expect(env.successor?.site).toBeDefined();
    expect(env.successor?.endpoint).toEqual(hubs.find((h) => h.site === env.successor!.site)!.at);
  });

  it('the federation module gives the same to local peers: getEndpointFor, run, select, send, environment and message events', async () => {
    a.peers.share('federation', federationModule(a.federation));
    const listener = await a.peers.listen({ host: '127.0.0.1', port: 0 });
    const local = createPeers('logic_one', { logger: silent });
    local.connect({ host: '127.0.0.1', port: listener.port! });
    await until(() => local.connectedPeers().includes('supervision'), 5000);
    try {
      const federation = await local('supervision').require('federation');
      const [endpoint, , site] = await new Promise<unknown[]>((resolve, reject) =>
        federation.getEndpointFor('sensor/1', (e: Error | null, ...r: unknown[]) => (e ? reject(e) : resolve(r))),
      );
      expect(site).toBe(await new Promise((r) => a.federation.getEndpointFor('sensor/1', (_e, _en, _m, s) => r(s))));
      expect(endpoint).toEqual(hubs.find((h) => h.site === site)!.at);
      expect(await federation.isResponsibleFor('sensor/1')).toBe(site === 'site-a');
      expect(await federation.run('site-c', 'handle/echo', 5)).toEqual({ site: 'site-c', payload: 5 });
      await expect(federation.run('site-c', 'handle/missing', 5)).rejects.toMatchObject({
        code: 'PEERS_UNKNOWN_ACTION',
      });
      const selected = (await federation.select({ prop: 'role', value: 'meter', action: 'handle/echo' })) as {
        asked: string[];
        answers: Array<{ site: string }>;
      };
      expect([...selected.asked].sort()).toEqual(['site-c', 'site-d', 'site-s']);
      expect(selected.answers).toHaveLength(3);
      const message = new Promise<unknown[]>((resolve) =>
        federation.on('message', (...args: unknown[]) => resolve(args)),
      );
      // The subscription is made when `on` is called; a datagram sent after a round trip finds it.
      await federation.status();
      expect(c.federation.send('site-a', 'to the module')).toBe(true);
      expect(await message).toEqual(['to the module', 'site-c']);
    } finally {
      await local.close();
    }
  });

  it('a local peer serves an action of its site through the module; it is dropped when the peer leaves', async () => {
    const module = federationModule(c.federation, c.peers);
    c.peers.share('federation', module, (caller) => !caller.includes('@'));
    const listener = await c.peers.listen({ host: '127.0.0.1', port: 0 });
    const logic = createPeers('logic_pumps', { logger: silent });
    logic.share('pumps', {
      start: (payload: { pump: number }, cb: (error: Error | null, result?: unknown) => void) =>
        payload.pump === 13
          ? cb(Object.assign(new Error('pump 13 is locked out'), { code: 'LOCKED_OUT' }))
          : cb(null, { started: payload.pump }),
    });
    logic.connect({ host: '127.0.0.1', port: listener.port! });
    await until(() => logic.connectedPeers().includes('supervision'), 5000);
    const federation = await logic('supervision').require('federation');
    expect(await federation.handle('start-pump', { peer: 'logic_pumps', module: 'pumps', method: 'start' })).toBe(true);
    // Run from site-a, two hops away: the result, and the error as an error with its code.
    expect(await runOn(a, 'site-c', 'handle/start-pump', { pump: 2 })).toEqual({ started: 2 });
    await expect(runOn(a, 'site-c', 'handle/start-pump', { pump: 13 })).rejects.toMatchObject({
      message: 'pump 13 is locked out',
      code: 'LOCKED_OUT',
    });
    // Bad registrations are coded errors; an action of the hub itself cannot be taken over.
    await expect(federation.handle('echo', { peer: 'logic_pumps', module: 'pumps' })).rejects.toMatchObject({
      code: 'PEERS_BAD_ARGUMENT',
      message: expect.stringContaining('the hub itself serves handle/echo'),
    });
    await expect(federation.handle('x y', { peer: 'logic_pumps', module: 'pumps' })).rejects.toMatchObject({
      code: 'PEERS_BAD_ARGUMENT',
    });
    await expect(federation.handle('ok', { peer: 'x@site-a', module: 'pumps' })).rejects.toMatchObject({
      code: 'PEERS_BAD_ARGUMENT',
    });
    // Other sites cannot use the module (it is for local peers).
    await expect(a.peers('supervision@site-c').call('federation', 'status', [])).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
    });
    await logic.close();
    await until(() => c.federation.handle['start-pump'] === undefined, 5000);
    await expect(runOn(a, 'site-c', 'handle/start-pump', { pump: 2 })).rejects.toMatchObject({
      code: 'PEERS_UNKNOWN_ACTION',
    });
    expect(c.federation.handle.echo).toBeTypeOf('function');
  });
});
