/**
 * The link alone, in this process, against knxd: the default heartbeat notices a SIGKILLed knxd
 * within seconds; with the heartbeat out of the way a write to a dead tunnel is noticed by its
 * missing TUNNELLING_ACK; garbage datagrams on the link's socket are coded warnings that leave
 * the tunnel up.
 */
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@weble/driver-kit/testing';
import { DEFAULT_HEARTBEAT, KnxLink, type GroupTelegram, type HeartbeatTiming } from '../src/index.js';
import { Knxd } from '../src/testing/index.js';

let knxd: Knxd;
const links: KnxLink[] = [];

beforeAll(async () => {
  knxd = await Knxd.start();
});
afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  if (!knxd.running) await knxd.restart();
});
afterAll(() => knxd.close());

async function open(heartbeat: HeartbeatTiming, warnings: Error[] = []): Promise<KnxLink> {
  const link = await KnxLink.open({
    transport: 'tunnel-udp',
    host: '127.0.0.1',
    port: knxd.port,
    heartbeat,
    ratePerSecond: 50,
    maxQueue: 100,
    connectTimeoutMs: 6_000,
    label: 'gateway t (knx)',
    onWarning: (error) => warnings.push(error),
  });
  links.push(link);
  return link;
}

function lost(link: KnxLink): Promise<{ error: Error; at: number }> {
  return new Promise((resolve) => link.onLost((error) => resolve({ error, at: performance.now() })));
}

describe('KnxLink against knxd', () => {
  it('the default heartbeat notices a SIGKILLed knxd within 6.5 s', async () => {
    const link = await open(DEFAULT_HEARTBEAT);
    const ended = lost(link);
    const killedAt = performance.now();
    await knxd.stop('SIGKILL');
    const { error, at } = await ended;
    const bound = DEFAULT_HEARTBEAT.intervalMs + (DEFAULT_HEARTBEAT.retries + 1) * DEFAULT_HEARTBEAT.timeoutMs;
    expect(at - killedAt).toBeLessThanOrEqual(bound + 500);
    expect(error).toMatchObject({ code: 'KNX_HEARTBEAT_FAILED' });
  }, 20_000);

  it('a write to a dead tunnel is noticed by its missing TUNNELLING_ACK', async () => {
    const link = await open({ intervalMs: 60_000, timeoutMs: 10_000, retries: 0 });
    const ended = lost(link);
    await knxd.stop('SIGTERM');
    // The write resolves only with its TUNNELLING_ACK: here it fails with the loss.
    await expect(link.write(0x2719, { small: true, bytes: new Uint8Array([1]) })).rejects.toMatchObject({
      code: 'KNX_NO_ACK',
    });
    const { error } = await ended;
    expect(error).toMatchObject({
      code: 'KNX_NO_ACK',
      message: expect.stringMatching(/tunnel to 127\.0\.0\.1:\d+: no TUNNELLING_ACK/),
    });
  }, 20_000);

  it('garbage datagrams on the socket are coded warnings; the tunnel stays up and decodes the next telegram', async () => {
    const warnings: Error[] = [];
    const link = await open({ intervalMs: 300, timeoutMs: 300, retries: 1 }, warnings);
    const telegrams: GroupTelegram[] = [];
    link.onTelegram((telegram) => telegrams.push(telegram));
    let ended = false;
    link.onLost(() => void (ended = true));
    const sender = createSocket('udp4');
    const garbage = [
      Buffer.from([0x01]),
      Buffer.from('06100208000a0100', 'hex'),
      Buffer.from('ffffffffffffffff', 'hex'),
      Buffer.alloc(300, 0x06),
    ];
    // knxultimate binds the machine's own address (not loopback): send there.
    const { address, port } = link.localEndpoint!;
    for (const datagram of garbage)
      await new Promise<void>((resolve) => sender.send(datagram, port, address, () => resolve()));
    sender.close();
    await waitUntil(() => warnings.filter((w) => (w as { code?: string }).code === 'KNX_BAD_FRAME').length >= 4, {
      what: 'four KNX_BAD_FRAME warnings',
    });
    const heartbeats = link.heartbeats;
    await knxd.tool('groupwrite', '1/0/6', '0c', '33');
    await waitUntil(() => telegrams.some((t) => t.destination === 0x0806), { what: 'the telegram after the garbage' });
    // Three heartbeat answers later the tunnel is still up.
    await waitUntil(() => link.heartbeats >= heartbeats + 3, { what: 'three more heartbeat answers' });
    expect(ended).toBe(false);
    expect(telegrams.find((t) => t.destination === 0x0806)).toMatchObject({
      kind: 'write',
      data: { small: false, bytes: new Uint8Array([0x0c, 0x33]) },
    });
  }, 20_000);
});
