/**
 * The northbound bridge in Sparkplug B mode end to end: the built supervisor with a virtual gateway
 * and a Modbus gateway on a pymodbus server, Debian's mosquitto, and a subscriber that decodes every
 * payload with Eclipse Tahu's sparkplug-payload (the library the bridge encodes with). Checks bdSeq,
 * seq order, birth before data, aliases and datatypes, DCMD writes through the allow-list, rebirth on
 * NCMD, DDEATH when a gateway goes offline, and the NDEATH will when the bridge is SIGKILLed.
 */
import { decodeSparkplug, encodeSparkplug } from '@weble/northbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startSimulator, type Simulator } from '../drivers/modbus/test/support/simulator.js';
import { startMosquitto, Subscriber, type Broker, type Received } from './support/mosquitto.js';

const NODE = 'spBv1.0/fleet/';
let site: RunningSite;
let broker: Broker;
let device: Simulator;
let sub: Subscriber;

type Payload = ReturnType<typeof decodeSparkplug>;
const num = (v: unknown): number => (typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber());
const decode = (m: Received): Payload => decodeSparkplug(m.payload);
const kind = (m: Received): string => m.topic.split('/')[2]!;
const metric = (p: Payload, name: string) => p.metrics!.find((x) => x.name === name);

beforeAll(async () => {
  // QoS 0 births are queued for an offline persistent session too (the outage test below).
  broker = await startMosquitto({ config: () => ['queue_qos0_messages true'] });
  device = await startSimulator({ transport: 'tcp', units: [1] });
  await device.set(1, 'holding', 10, [77]);
  // Birth messages are not retained: the subscriber is there before the node is born.
  sub = await Subscriber.connect(broker.url, ['spBv1.0/#']);
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
  - { id: 2, type: modbus, config: { transport: tcp, host: 127.0.0.1, port: ${device.port}, pollMs: 50, timeoutMs: 500 } }
addresses:
  - { key: "0/0/1", gateway: 1, name: setpoint, point: { type: number, initial: 21 } }
  - { key: "0/0/2", gateway: 1, name: occupied, point: { type: boolean } }
  - { key: "0/0/3", gateway: 1, name: mode, point: { type: string, initial: comfort } }
  - { key: "plc/level", gateway: 2, point: { table: holding, address: 10, type: uint16 } }
northbound:
  - id: sp
    mode: sparkplug
    brokers: [ "${broker.url}" ]
    sparkplug: { groupId: fleet, edgeNodeId: site-7 }
    writable: [ setpoint, "plc/*" ]
    reconnectMs: 100
`);
  await site.until(
    'device 2 born',
    async () => (sub.messages.some((m) => m.topic === `${NODE}DBIRTH/site-7/2`) ? true : undefined),
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await sub?.close();
  await site?.close();
  await device?.kill();
  await broker?.close();
});

/** Messages of this node from index `from` on. */
function nodeMessages(from = 0): Received[] {
  return sub.messages.slice(from).filter((m) => m.topic.startsWith(NODE) && m.topic.split('/')[3] === 'site-7');
}

/** seq: 0 on NBIRTH, then +1 (mod 256) on every message but NDEATH and commands. */
function checkSeq(messages: Received[]): string[] {
  const problems: string[] = [];
  let expected: number | undefined;
  for (const m of messages) {
    const k = kind(m);
    if (k === 'NDEATH' || k === 'NCMD' || k === 'DCMD') continue;
    const seq = num(decode(m).seq);
    if (k === 'NBIRTH') expected = 0;
    if (expected === undefined) problems.push(`${k} before any NBIRTH`);
    else if (seq !== expected) problems.push(`${m.topic}: seq ${seq}, expected ${expected}`);
    expected = (seq + 1) % 256;
  }
  return problems;
}

describe('northbound, Sparkplug B mode', () => {
  it('NBIRTH with bdSeq and Node Control/Rebirth comes first, then a DBIRTH per gateway with aliases and datatypes', async () => {
    const messages = nodeMessages();
    expect(kind(messages[0]!)).toBe('NBIRTH');
    const nbirth = decode(messages[0]!);
    expect(num(nbirth.seq)).toBe(0);
    expect(metric(nbirth, 'bdSeq')).toMatchObject({ type: 'UInt64' });
    expect(metric(nbirth, 'Node Control/Rebirth')).toMatchObject({ type: 'Boolean', value: false });
    const dbirth1 = decode(messages.find((m) => m.topic === `${NODE}DBIRTH/site-7/1`)!);
    expect(metric(dbirth1, '0/0/1')).toMatchObject({ type: 'Double', value: 21 });
    expect(metric(dbirth1, '0/0/2')).toMatchObject({ type: 'Boolean', value: false });
    expect(metric(dbirth1, '0/0/3')).toMatchObject({ type: 'String', value: 'comfort' });
    const aliases = dbirth1.metrics!.map((m) => num(m.alias));
    expect(new Set(aliases).size).toBe(3);
    const dbirth2 = decode(messages.find((m) => m.topic === `${NODE}DBIRTH/site-7/2`)!);
    expect(metric(dbirth2, 'plc/level')).toMatchObject({ type: 'UInt16' });
    expect(checkSeq(messages)).toEqual([]);
  });

  it('DDATA carries changes by alias, after the births, in seq order', async () => {
    const from = sub.messages.length;
    const gateways = await site.client('supervision').require('gateways');
    await gateways.writeValue('setpoint', 23.5);
    const dbirth1 = decode(nodeMessages().find((m) => m.topic === `${NODE}DBIRTH/site-7/1`)!);
    const alias = num(metric(dbirth1, '0/0/1')!.alias);
    const data = await sub.next(
      'DDATA setpoint',
      (m) =>
        sub.messages.indexOf(m) >= from &&
        m.topic === `${NODE}DDATA/site-7/1` &&
        decode(m).metrics!.some((x) => num(x.alias) === alias && x.value === 23.5),
    );
    const m = decode(data).metrics![0]!;
    expect(m.name ?? null).toBeNull();
    expect(m.type).toBe('Double');
    expect(m.isHistorical ?? false).toBe(false);
    expect(checkSeq(nodeMessages())).toEqual([]);
  });

  it('DCMD writes allow-listed metrics (by name or alias) to the device; others are refused, malformed ones reported', async () => {
    await sub.client.publishAsync(
      `${NODE}DCMD/site-7/2`,
      encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: 'plc/level', type: 'UInt16', value: 4321 }] }),
      { qos: 1 },
    );
    await site.until('register written', async () =>
      (await device.get(1, 'holding', 10, 1))[0] === 4321 ? true : undefined,
    );
    const dbirth1 = decode(nodeMessages().find((m) => m.topic === `${NODE}DBIRTH/site-7/1`)!);
    const alias = num(metric(dbirth1, '0/0/1')!.alias);
    await sub.client.publishAsync(
      `${NODE}DCMD/site-7/1`,
      encodeSparkplug({ timestamp: Date.now(), metrics: [{ alias, type: 'Double', value: 19 }] }),
      { qos: 1 },
    );
    const gateways = await site.client('supervision').require('gateways');
    await site.until('setpoint 19', async () => ((await gateways.getLastValue('setpoint')) === 19 ? true : undefined));
    await sub.client.publishAsync(
      `${NODE}DCMD/site-7/1`,
      encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: '0/0/3', type: 'String', value: 'eco' }] }),
      { qos: 1 },
    );
    await site.until('refused write reported', async () =>
      (await site.find('northbound_sp'))?.bridge?.lastError?.code === 'NORTHBOUND_WRITE_NOT_ALLOWED' ? true : undefined,
    );
    expect(await gateways.getLastValue('mode')).toBe('comfort');
    await sub.client.publishAsync(`${NODE}DCMD/site-7/1`, Buffer.from('not protobuf at all \xff\xff'), { qos: 1 });
    const bad = await site.until('malformed reported', async () => {
      const b = (await site.find('northbound_sp'))?.bridge;
      return b?.lastError?.code === 'NORTHBOUND_BAD_COMMAND' ? b : undefined;
    });
    expect(bad.lastError!.message).toContain(`${NODE}DCMD/site-7/1`);
    expect(bad.writes.ok).toBeGreaterThanOrEqual(2);
    expect(bad.connected).toBe(true);
  });

  it('NCMD Node Control/Rebirth: NBIRTH again (same bdSeq, seq 0) and the DBIRTHs', async () => {
    const first = decode(nodeMessages().find((m) => kind(m) === 'NBIRTH')!);
    const from = sub.messages.length;
    await sub.client.publishAsync(
      `${NODE}NCMD/site-7`,
      encodeSparkplug({
        timestamp: Date.now(),
        metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }],
      }),
      { qos: 1 },
    );
    const nbirth = await sub.next('rebirth', (m) => sub.messages.indexOf(m) >= from && kind(m) === 'NBIRTH');
    expect(num(decode(nbirth).seq)).toBe(0);
    expect(num(metric(decode(nbirth), 'bdSeq')!.value)).toBe(num(metric(first, 'bdSeq')!.value));
    await sub.next(
      'DBIRTH 2 again',
      (m) => sub.messages.indexOf(m) > sub.messages.indexOf(nbirth) && m.topic === `${NODE}DBIRTH/site-7/2`,
    );
    expect(checkSeq(nodeMessages())).toEqual([]);
  });

  it('DDEATH when a gateway goes offline, DBIRTH when it is back', async () => {
    const from = sub.messages.length;
    await site.client('supervision').call('system', 'stop', ['driver_modbus_2']);
    await sub.next('DDEATH 2', (m) => sub.messages.indexOf(m) >= from && m.topic === `${NODE}DDEATH/site-7/2`);
    await site.client('supervision').call('system', 'start', ['driver_modbus_2']);
    await sub.next('DBIRTH 2', (m) => sub.messages.indexOf(m) >= from && m.topic === `${NODE}DBIRTH/site-7/2`, 20_000);
    expect(checkSeq(nodeMessages())).toEqual([]);
  });

  it('SIGKILL of the bridge: the broker sends its NDEATH (the will, same bdSeq); restarted, it is born with the next bdSeq', async () => {
    const births = nodeMessages().filter((m) => kind(m) === 'NBIRTH');
    const bdSeq = num(metric(decode(births[births.length - 1]!), 'bdSeq')!.value);
    const from = sub.messages.length;
    const before = await site.find('northbound_sp');
    process.kill(before!.pid!, 'SIGKILL');
    const death = await sub.next('NDEATH', (m) => sub.messages.indexOf(m) >= from && kind(m) === 'NDEATH', 15_000);
    expect(num(metric(decode(death), 'bdSeq')!.value)).toBe(bdSeq);
    expect(decode(death).seq ?? null).toBeNull();
    const reborn = await sub.next(
      'NBIRTH after restart',
      (m) => sub.messages.indexOf(m) > sub.messages.indexOf(death) && kind(m) === 'NBIRTH',
      20_000,
    );
    expect(num(metric(decode(reborn), 'bdSeq')!.value)).toBe((bdSeq + 1) % 256);
    await sub.next(
      'DBIRTH 1 after restart',
      (m) => sub.messages.indexOf(m) > sub.messages.indexOf(reborn) && m.topic === `${NODE}DBIRTH/site-7/1`,
    );
  });

  it('values taken during an outage are sent after the next NBIRTH as historical metrics', async () => {
    const watcher = await Subscriber.connect(broker.url, ['spBv1.0/fleet/#'], {
      clientId: 'sp-watcher',
      clean: false,
      properties: { sessionExpiryInterval: 600 },
      resubscribe: false,
    });
    try {
      await broker.stop();
      await site.until('bridge disconnected', async () =>
        (await site.find('northbound_sp'))?.bridge?.connected === false ? true : undefined,
      );
      const gateways = await site.client('supervision').require('gateways');
      await gateways.writeValue('setpoint', 31.25);
      await site.until('value buffered', async () =>
        ((await site.find('northbound_sp'))?.bridge?.buffered.count ?? 0) >= 1 ? true : undefined,
      );
      await broker.start();
      const nbirth = await watcher.next('NBIRTH after the outage', (m) => kind(m) === 'NBIRTH', 20_000);
      const dbirth1 = decode(
        await watcher.next('DBIRTH 1 after the outage', (m) => m.topic === `${NODE}DBIRTH/site-7/1`),
      );
      const alias = num(metric(dbirth1, '0/0/1')!.alias);
      const data = await watcher.next(
        'historical DDATA',
        (m) =>
          m.topic === `${NODE}DDATA/site-7/1` &&
          decode(m).metrics!.some((x) => num(x.alias) === alias && x.value === 31.25),
      );
      expect(watcher.messages.indexOf(data)).toBeGreaterThan(watcher.messages.indexOf(nbirth));
      expect(decode(data).metrics![0]).toMatchObject({ isHistorical: true, type: 'Double' });
      expect(
        checkSeq(
          watcher.messages.slice(watcher.messages.indexOf(nbirth)).filter((m) => m.topic.split('/')[3] === 'site-7'),
        ),
      ).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});
