/**
 * One contract, every transport: a `server` process listening and a `client` process connected
 * to it over a UNIX socket, TCP (port 0), TLS (port 0, a certificate made by the test), WebSocket
 * and WebSocket over TLS (the same certificate) run the same calls, errors, events and big payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Children, type Child, type Report } from './support/children.js';
import { connected, localhostCertificate, startAgent, tempDir } from './support/mesh.js';

const dir = tempDir();
const certificate = localhostCertificate();

interface Transport {
  name: string;
  listen: () => unknown;
  address: (ready: Report) => string;
  endpoint: (ready: Report) => string;
  connectOptions?: unknown;
}

const transports: Transport[] = [
  {
    name: 'unix',
    listen: () => dir.socket('server'),
    address: () => `unix:${dir.socket('server')}`,
    endpoint: () => dir.socket('server'),
  },
  {
    name: 'tcp',
    listen: () => ({ port: 0, host: '127.0.0.1' }),
    address: (ready) => `tcp://127.0.0.1:${ready.port}`,
    endpoint: (ready) => `tcp://127.0.0.1:${ready.port}`,
  },
  {
    name: 'tls',
    listen: () => ({ port: 0, tls: { cert: certificate.cert, key: certificate.key } }),
    address: (ready) => `tls://127.0.0.1:${ready.port}`,
    endpoint: (ready) => `tls://localhost:${ready.port}`,
    connectOptions: { tls: { ca: certificate.cert } },
  },
  {
    name: 'ws',
    listen: () => ({ port: 0, host: '127.0.0.1', path: '/peers', ws: true }),
    address: (ready) => `ws://127.0.0.1:${ready.port}/peers`,
    endpoint: (ready) => `ws://127.0.0.1:${ready.port}/peers`,
  },
  {
    name: 'wss',
    listen: () => ({ port: 0, path: '/peers', ws: true, tls: { cert: certificate.cert, key: certificate.key } }),
    address: (ready) => `wss://127.0.0.1:${ready.port}/peers`,
    endpoint: (ready) => `wss://localhost:${ready.port}/peers`,
    connectOptions: { tls: { ca: certificate.cert } },
  },
];

afterAll(() => dir.remove());

describe.each(transports)('transport contract over $name', (transport) => {
  const children = new Children();
  let server: Child;
  let client: Child;
  let ready: Report;

  beforeAll(async () => {
    ({ child: server, ready } = await startAgent(children, { name: 'server', listen: transport.listen() }));
    ({ child: client } = await startAgent(children, {
      name: 'client',
      connect: transport.endpoint(ready),
      connectOptions: transport.connectOptions,
    }));
    await connected(client, ['server']);
  });

  afterAll(() => children.finish());

  it('listen() resolves with the bound address and port', () => {
    expect(ready.address).toBe(transport.address(ready));
    if (transport.name === 'unix') expect(ready.port).toBeUndefined();
    else expect(ready.port).toBeGreaterThan(0);
  });

  it('calls with a callback', async () => {
    expect(
      await client.eval(`
        const lab = await new Promise((resolve, reject) => peers('server').require('lab', (err, lab) => (err ? reject(err) : resolve(lab))));
        return await new Promise((resolve) => lab.add(2, 3, (...results) => resolve(results)));
      `),
    ).toEqual([null, 5]);
  });

  it('calls with a promise, to callback-style and async methods', async () => {
    expect(
      await client.eval(`
        const lab = await peers('server').require('lab');
        return [await lab.add(20, 22), await lab.multiply(6, 7), await peers('server').call('lab', 'echo', ['a', 1])];
      `),
    ).toEqual([42, 42, ['a', 1]]);
  });

  it('a remote error arrives as an Error with its code, by callback and by promise', async () => {
    const result = await client.eval(`
      const lab = await peers('server').require('lab');
      const byCallback = await new Promise((resolve) => lab.fail('E_GATEWAY_BUSY', 'gateway 12 is busy', (err) => resolve(err)));
      const byPromise = await lab.fail('E_GATEWAY_BUSY', 'gateway 12 is busy').catch((err) => err);
      const unknownMethod = await peers('server').call('lab', 'reboot').catch((err) => err);
      return { byCallback, byPromise, unknownMethod };
    `);
    for (const error of [result.byCallback, result.byPromise]) {
      expect(error).toMatchObject({
        $type: 'Error',
        isError: true,
        code: 'E_GATEWAY_BUSY',
        message: 'gateway 12 is busy',
      });
    }
    expect(result.unknownMethod).toMatchObject({ isError: true, code: 'PEERS_UNKNOWN_METHOD' });
  });

  it('events reach a listener with their arguments', async () => {
    await client.eval("track('tick', peers('server'), 'tick'); await barrier('server')");

    await server.eval("peers.peerEvents().emit('tick', 1, 'two', new Date(0), Buffer.from([3]), { four: [4] })");

    const event = await client.waitForReport('event', { tag: 'tick' });
    expect(event.args).toEqual([
      1,
      'two',
      { $type: 'Date', iso: '1970-01-01T00:00:00.000Z' },
      { $type: 'Buffer', length: 1, hex: '03' },
      { four: [4] },
    ]);
  });

  it('events are delivered only while listened to', async () => {
    const forwarders = () => server.eval("return peers.peerEvents().listenerCount('level')");
    const levels = (from: number) => client.reportsOf('event', { tag: 'level' }, from).map((r) => r.args);
    const from = client.mark();
    await client.eval("track('level-sentinel', peers('server'), 'level-sentinel'); await barrier('server')");

    expect(await forwarders()).toBe(0); // nobody listens: the server sends nothing
    await server.eval("peers.peerEvents().emit('level', 'unheard')");
    await client.eval("track('level', peers('server'), 'level'); await barrier('server')");
    expect(await forwarders()).toBe(1);
    await server.eval("peers.peerEvents().emit('level', 'heard')");
    await client.waitForReport('event', { tag: 'level' }, { from });
    await client.eval("untrack('level'); await barrier('server')");
    expect(await forwarders()).toBe(0);
    await server.eval("peers.peerEvents().emit('level', 'after'); peers.peerEvents().emit('level-sentinel')");
    await client.waitForReport('event', { tag: 'level-sentinel' }, { from }); // sent after 'level', on the same link

    expect(levels(from)).toEqual([['heard']]);
  });

  it('a 2 MiB Buffer goes there and back intact', async () => {
    const result = await client.eval(
      `
      const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
      const lab = await peers('server').require('lab');
      const big = crypto.randomBytes(2 * 1024 * 1024);
      const there = await lab.inspect(big);
      const back = await lab.echo(big);
      return { sent: sha256(big), there, back: { isBuffer: Buffer.isBuffer(back), length: back.length, sha256: sha256(back) } };
    `,
      15_000,
    );
    expect(result.there).toMatchObject({ isBuffer: true, length: 2 * 1024 * 1024, sha256: result.sent });
    expect(result.back).toEqual({ isBuffer: true, length: 2 * 1024 * 1024, sha256: result.sent });
  });
});

describe('TLS is really TLS', () => {
  const children = new Children();
  afterAll(() => children.finish());

  it('a client that does not trust the certificate is refused and never connects', async () => {
    const { ready } = await startAgent(children, {
      name: 'server',
      listen: { port: 0, tls: { cert: certificate.cert, key: certificate.key } },
    });
    const { child: stranger } = await startAgent(children, {
      name: 'stranger',
      connect: `tls://localhost:${ready.port}`,
    });

    const refused = await stranger.waitForReport('peer-error');

    expect(refused.where).toBe(`tls://localhost:${ready.port}`);
    expect((refused.error as { code: string }).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    expect(stranger.reportsOf('connect')).toEqual([]);
  });
});
