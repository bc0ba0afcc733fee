/**
 * One contract for both northbound modes (plain and Sparkplug B), each run against its own real
 * site and Debian's mosquitto: every value arrives in order per address through a broker outage,
 * writes from the broker go through the allow-list, and the will reports the bridge dead on SIGKILL.
 * A mode adapter says how the subscriber reads values and how a command is written.
 */
import { decodeSparkplug, encodeSparkplug } from '@weble/northbound';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startMosquitto, Subscriber, type Broker, type Received } from './support/mosquitto.js';
import { checkSequence, ValueProducer } from './support/value-producer.js';

interface ModeAdapter {
  mode: 'plain' | 'sparkplug';
  /** Extra keys of the northbound entry. */
  entry: string;
  topics: string[];
  /** Values (by address key) a message carries. */
  values(m: Received): Array<{ key: string; value: unknown }>;
  write(client: MqttClient, key: string, value: number): Promise<void>;
  isWill(m: Received): boolean;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber());

function plain(): ModeAdapter {
  const prefix = 'weble/c/1/';
  return {
    mode: 'plain',
    entry: 'mode: plain',
    topics: ['weble/#'],
    values: (m) =>
      m.topic.startsWith(prefix) && !m.topic.includes('/set') && !m.topic.endsWith('$state')
        ? [{ key: m.topic.slice(prefix.length), value: Subscriber.json(m).value }]
        : [],
    write: async (client, key, value) =>
      void (await client.publishAsync(`${prefix}${key}/set`, JSON.stringify({ value }), { qos: 1 })),
    isWill: (m) => m.topic === 'weble/c/$bridge/nb' && Subscriber.json(m).online === false,
  };
}

function sparkplug(): ModeAdapter {
  const aliases = new Map<number, string>();
  return {
    mode: 'sparkplug',
    entry: 'mode: sparkplug, sparkplug: { groupId: g, edgeNodeId: c }',
    topics: ['spBv1.0/g/#'],
    values(m) {
      const kind = m.topic.split('/')[2];
      if (kind !== 'DBIRTH' && kind !== 'DDATA') return [];
      const p = decodeSparkplug(m.payload);
      if (kind === 'DBIRTH') for (const x of p.metrics ?? []) aliases.set(num(x.alias), x.name!);
      return kind === 'DDATA'
        ? (p.metrics ?? []).map((x) => ({ key: aliases.get(num(x.alias)) ?? '?', value: x.value }))
        : [];
    },
    write: async (client, key, value) =>
      void (await client.publishAsync(
        'spBv1.0/g/DCMD/c/1',
        encodeSparkplug({ timestamp: Date.now(), metrics: [{ name: key, type: 'Double', value }] }),
        { qos: 1 },
      )),
    isWill: (m) => m.topic === 'spBv1.0/g/NDEATH/c',
  };
}

const FLOW = ['c/1', 'c/2', 'c/3'];

for (const make of [plain, sparkplug]) {
  const adapter = make();
  describe(`northbound mode contract: ${adapter.mode}`, () => {
    let site: RunningSite;
    let broker: Broker;
    let sub: Subscriber;
    const received = new Map<string, number[]>(FLOW.map((k) => [k, []]));

    beforeAll(async () => {
      broker = await startMosquitto({ config: () => ['queue_qos0_messages true'] });
      sub = await Subscriber.connect(broker.url, adapter.topics, {
        clientId: `contract-${adapter.mode}`,
        clean: false,
        properties: { sessionExpiryInterval: 600 },
        resubscribe: false,
      });
      sub.client.on('message', (topic, payload, packet) => {
        for (const { key, value } of adapter.values({ topic, payload, retain: packet.retain, qos: packet.qos }))
          if (typeof value === 'number') received.get(key)?.push(value);
      });
      site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
addresses:
${['c/0', ...FLOW, 'c/4'].map((k) => `  - { key: "${k}", gateway: 1, point: { type: number } }`).join('\n')}
northbound:
  - { id: nb, brokers: ["${broker.url}"], site: c, reconnectMs: 100, writable: ["c/0"], ${adapter.entry} }
`);
      // Values written before the bridge listens reach it only as the last value (no history):
      // the producer starts once it is connected and listening.
      await site.until(
        'bridge connected and listening',
        async () => {
          const b = (await site.find('northbound_nb'))?.bridge;
          return b?.connected && b.listening ? true : undefined;
        },
        20_000,
      );
    }, 60_000);

    afterAll(async () => {
      await sub?.close();
      await site?.close();
      await broker?.close();
    });

    const bridge = async () => (await site.find('northbound_nb'))?.bridge;

    it('every value arrives, in order per address, through a broker outage', async () => {
      const producer = new ValueProducer(site.client, FLOW, 500);
      producer.start();
      await site.until('values flowing', async () => (((await bridge())?.published ?? 0) > 300 ? true : undefined));
      await broker.stop();
      await site.until(
        '1,000 values buffered',
        async () => (((await bridge())?.buffered.count ?? 0) >= 1000 ? true : undefined),
        30_000,
      );
      await broker.start();
      await site.until(
        'replayed',
        async () => (((await bridge())?.buffered.count ?? Infinity) < 100 ? true : undefined),
        30_000,
      );
      await producer.pause();
      await site.until(
        'last values at the subscriber',
        async () => (FLOW.every((k) => received.get(k)!.includes(producer.last.get(k)!)) ? true : undefined),
        30_000,
      );
      for (const key of FLOW)
        expect({ key, problems: checkSequence(received.get(key)!, 1, producer.last.get(key)!).problems }).toEqual({
          key,
          problems: [],
        });
    }, 90_000);

    it('writes from the broker go through the allow-list', async () => {
      const gateways = await site.client('supervision').require('gateways');
      await adapter.write(sub.client, 'c/0', 42);
      await site.until('c/0 written', async () => ((await gateways.getLastValue('c/0')) === 42 ? true : undefined));
      const failed = (await bridge())!.writes.failed;
      await adapter.write(sub.client, 'c/4', 43);
      const b = await site.until('c/4 refused', async () => {
        const x = await bridge();
        return x && x.writes.failed > failed ? x : undefined;
      });
      if (adapter.mode === 'sparkplug') expect(b.lastError?.code).toBe('NORTHBOUND_WRITE_NOT_ALLOWED');
      expect(await gateways.getLastValue('c/4')).toBe(0);
    });

    it('the will reports the bridge dead when it is SIGKILLed', async () => {
      const from = sub.messages.length;
      const before = await site.find('northbound_nb');
      process.kill(before!.pid!, 'SIGKILL');
      await sub.next('the will', (m) => sub.messages.indexOf(m) >= from && adapter.isWill(m), 15_000);
    });
  });
}
