/**
 * A northbound bridge facing brokers that do not cooperate, each a real counterpart: Debian's
 * mosquitto with a password file and an ACL, with a TLS listener that wants client certificates
 * (a CA made by openssl), a port nobody listens on, a server that closes every connection at once;
 * and a full buffer. Each ends as a clear error in the bridge's status; the bridges and the site stay up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startMosquitto, Subscriber, type Broker } from './support/mosquitto.js';
import { makePki, type Pki } from './support/pki.js';

let site: RunningSite;
let open: Broker;
let guarded: Broker;
let tls: Broker;
let closer: net.Server;
let deadPort: number;
let pki: Pki;
const pkiDir = mkdtempSync(join(tmpdir(), 'weble-pki-'));
const BRIDGES = ['v311', 'down', 'closer', 'badauth', 'acl', 'tls', 'tlsnoca', 'tiny'];

async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  pki = makePki(pkiDir);
  open = await startMosquitto();
  guarded = await startMosquitto({
    config: (dir) => {
      execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), 'site', 'right-password']);
      writeFileSync(
        join(dir, 'acl'),
        'user site\ntopic readwrite weble/lab/$bridge/#\ntopic readwrite weble/lab/+/$state\n',
      );
      return ['allow_anonymous false', `password_file ${join(dir, 'passwd')}`, `acl_file ${join(dir, 'acl')}`];
    },
  });
  tls = await startMosquitto({
    listener: (_dir, port) => [
      `listener ${port} 127.0.0.1`,
      `cafile ${pki.ca}`,
      `certfile ${pki.serverCert}`,
      `keyfile ${pki.serverKey}`,
      'require_certificate true',
      'use_identity_as_username true',
    ],
  });
  const probe = net.createServer();
  deadPort = await listening(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  closer = net.createServer((socket) => socket.destroy());
  const closerPort = await listening(closer);
  const client = pki.client('site-lab');
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
addresses:
  - { key: "0/0/1", gateway: 1, name: setpoint, point: { type: number, initial: 21 } }
northbound:
  - { id: v311, brokers: ["${open.url}"], protocolVersion: 4, site: lab, reconnectMs: 100 }
  - { id: down, brokers: ["mqtt://127.0.0.1:${deadPort}"], site: lab, reconnectMs: 100 }
  - { id: closer, brokers: ["mqtt://127.0.0.1:${closerPort}"], site: lab, reconnectMs: 100 }
  - { id: badauth, brokers: ["${guarded.url}"], username: site, password: wrong, site: lab, reconnectMs: 100 }
  - { id: acl, brokers: ["${guarded.url}"], username: site, password: right-password, site: lab, reconnectMs: 100 }
  - id: tls
    brokers: ["mqtts://127.0.0.1:${tls.port}"]
    tls: { ca: ${pki.ca}, cert: ${client.cert}, key: ${client.key} }
    site: lab
  - id: tlsnoca
    brokers: ["mqtts://127.0.0.1:${tls.port}"]
    tls: { cert: ${client.cert}, key: ${client.key} }
    site: lab
    reconnectMs: 100
  - { id: tiny, brokers: ["mqtt://127.0.0.1:${deadPort}"], site: lab, reconnectMs: 100, buffer: { maxMB: 0.01 } }
`);
  await site.until(
    'every bridge up',
    async () => {
      const list = await site.processes();
      return BRIDGES.every((id) => list.find((p) => p.name === `northbound_${id}`)?.state === 'up') ? true : undefined;
    },
    40_000,
  );
}, 90_000);

afterAll(async () => {
  await site?.close();
  for (const broker of [open, guarded, tls]) await broker?.close();
  closer?.close();
  rmSync(pkiDir, { recursive: true, force: true });
});

/** Wait until a bridge's status satisfies `ok`; returns it. */
async function bridgeWhere(
  id: string,
  what: string,
  ok: (b: NonNullable<Awaited<ReturnType<RunningSite['find']>>>['bridge']) => boolean,
) {
  const info = await site.until(
    `northbound_${id}: ${what}`,
    async () => {
      const p = await site.find(`northbound_${id}`);
      return p?.bridge && ok(p.bridge) ? p : undefined;
    },
    20_000,
  );
  return info.bridge!;
}

describe('northbound against uncooperative brokers', () => {
  it('MQTT 3.1.1 works like MQTT 5', async () => {
    const sub = await Subscriber.connect(open.url, ['weble/lab/1/#'], { protocolVersion: 4 });
    try {
      const m = await sub.next('retained value', (x) => x.topic === 'weble/lab/1/0/0/1');
      expect(Subscriber.json(m)).toMatchObject({ value: 21, quality: 'good' });
    } finally {
      await sub.close();
    }
    expect(await bridgeWhere('v311', 'connected', (b) => b!.connected)).toMatchObject({
      connected: true,
      lastError: null,
    });
  });

  it('a broker nobody listens for: NORTHBOUND_BROKER_UNREACHABLE, values kept in the buffer', async () => {
    const b = await bridgeWhere('down', 'unreachable', (x) => x!.lastError?.code === 'NORTHBOUND_BROKER_UNREACHABLE');
    expect(b.connected).toBe(false);
    expect(b.lastError!.message).toMatch(/ECONNREFUSED/);
    expect(b.buffered.count).toBeGreaterThanOrEqual(1);
  });

  it('a broker that closes at once: NORTHBOUND_BROKER_UNREACHABLE, closed before accepting', async () => {
    const b = await bridgeWhere(
      'closer',
      'closed at once',
      (x) => x!.lastError?.code === 'NORTHBOUND_BROKER_UNREACHABLE',
    );
    expect(b.lastError!.message).toMatch(/closed the connection before accepting it|ECONNRESET|EPIPE/);
    expect(b.connected).toBe(false);
  });

  it('refused credentials: NORTHBOUND_BROKER_REFUSED', async () => {
    const b = await bridgeWhere('badauth', 'refused', (x) => x!.lastError?.code === 'NORTHBOUND_BROKER_REFUSED');
    expect(b.lastError!.message).toMatch(/refused the connection/);
    expect(b.connected).toBe(false);
  });

  it('an ACL refusing the value topics: NORTHBOUND_NOT_AUTHORIZED naming the topic, counted, still connected', async () => {
    const b = await bridgeWhere('acl', 'refused publish', (x) => x!.refused >= 1);
    expect(b.connected).toBe(true);
    expect(b.lastError).toMatchObject({
      code: 'NORTHBOUND_NOT_AUTHORIZED',
      message: expect.stringContaining('weble/lab/'),
    });
    expect(b.buffered.count).toBe(0); // a refused value is not retried forever
  });

  it('TLS with a CA and a client certificate: values arrive; without the CA the broker is not trusted', async () => {
    const client = pki.client('watcher');
    const sub = await Subscriber.connect(`mqtts://127.0.0.1:${tls.port}`, ['weble/lab/1/#'], {
      ca: readFileSync(pki.ca),
      cert: readFileSync(client.cert),
      key: readFileSync(client.key),
    });
    try {
      const m = await sub.next('value over TLS', (x) => x.topic === 'weble/lab/1/0/0/1');
      expect(Subscriber.json(m).value).toBe(21);
    } finally {
      await sub.close();
    }
    expect(await bridgeWhere('tls', 'connected', (x) => x!.connected)).toMatchObject({
      broker: `mqtts://127.0.0.1:${tls.port}`,
    });
    const untrusted = await bridgeWhere(
      'tlsnoca',
      'untrusted',
      (x) => x!.lastError?.code === 'NORTHBOUND_BROKER_UNREACHABLE',
    );
    expect(untrusted.lastError!.message).toMatch(/certificate/i);
  });

  it('a full buffer drops the oldest values, counts them and says so', async () => {
    // Values written before the bridge listens reach it only as the last value: the count below
    // holds once it listens.
    await bridgeWhere('tiny', 'listening', (x) => x!.listening);
    const before = (await bridgeWhere('tiny', 'status', () => true)).received;
    const gateways = await site.client('supervision').require('gateways');
    for (let i = 0; i < 1000; i += 50)
      await Promise.all(Array.from({ length: 50 }, (_, j) => gateways.writeValue('setpoint', 1000 + i + j)));
    // The values it had (the initial one) and the 1000 written: each either still buffered or dropped (counted).
    const b = await bridgeWhere(
      'tiny',
      'all values buffered or dropped',
      (x) => x!.dropped > 0 && x!.buffered.count + x!.dropped === before + 1000,
    );
    expect(b.buffered.bytes).toBeLessThanOrEqual(0.01 * 1024 * 1024);
    const [lines] = (await site.client('supervision').call('system', 'logTail', ['northbound_tiny', 200])) as [
      string[],
    ];
    expect(lines.join('\n')).toMatch(
      /NORTHBOUND_BUFFER_FULL[^\n]*buffer .* is full \(0\.01 MB\): dropped the \d+ oldest values/,
    );
  });

  it('the site and every bridge stay up', async () => {
    const list = await site.processes();
    for (const id of BRIDGES)
      expect(list.find((p) => p.name === `northbound_${id}`)).toMatchObject({ state: 'up', restarts: 0 });
    const gateways = await site.client('supervision').require('gateways');
    expect(typeof (await gateways.getLastValue('setpoint'))).toBe('number');
  });
});
