/**
 * What a bridge publishes, end to end through the built supervisor and Debian's mosquitto: the
 * selection by gateway, QoS 0, the deadband of on-change sends and periodic sends of the last value.
 * Each bridge writes under its own `site` so one subscriber tells them apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startMosquitto, Subscriber, type Broker, type Received } from './support/mosquitto.js';

const BRIDGES = ['q0', 'db', 'per'];
let site: RunningSite;
let broker: Broker;
let sub: Subscriber;

beforeAll(async () => {
  broker = await startMosquitto();
  sub = await Subscriber.connect(broker.url, ['weble/#']);
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
  - { id: 2, type: virtual, config: { tickMs: 1000 } }
addresses:
  - { key: "a/1", gateway: 1, point: { type: number } }
  - { key: "b/1", gateway: 2, point: { type: number } }
northbound:
  - { id: q0, brokers: ["${broker.url}"], site: q0, qos: 0, publish: { gateways: [2] } }
  - { id: db, brokers: ["${broker.url}"], site: db, publish: { addresses: ["a/*"], deadband: 5 } }
  - { id: per, brokers: ["${broker.url}"], site: per, publish: { addresses: ["a/*"], onChange: false, periodMs: 200 } }
`);
  // Values written before a bridge listens reach it only as the last value: write once all listen.
  await site.until(
    'every bridge connected and listening',
    async () => {
      const list = await site.processes();
      const ready = (id: string) => {
        const b = (
          list.find((p) => p.name === `northbound_${id}`) as
            { bridge?: { connected: boolean; listening: boolean } } | undefined
        )?.bridge;
        return b?.connected && b.listening;
      };
      return BRIDGES.every(ready) ? true : undefined;
    },
    40_000,
  );
}, 60_000);

afterAll(async () => {
  await sub?.close();
  await site?.close();
  await broker?.close();
});

const values = (topic: string): unknown[] =>
  sub.messages.filter((m) => m.topic === topic).map((m) => Subscriber.json(m).value);
const write = async (key: string, value: number): Promise<void> => {
  await site.client('supervision').call('gateways', 'writeValue', [key, value]);
};

describe('northbound publish options', () => {
  it('publish.gateways: only the addresses and the state of gateway 2, at QoS 0', async () => {
    await write('a/1', 7);
    await write('b/1', 1);
    await write('b/1', 2);
    const last = await sub.next('b/1 = 2', (m) => m.topic === 'weble/q0/2/b/1' && Subscriber.json(m).value === 2);
    expect(last.qos).toBe(0);
    expect(values('weble/q0/2/b/1')).toEqual([0, 1, 2]);
    // One connection keeps its order: a value of a/1 (written first) would be here by now, and so
    // would gateway 1's state (published once the bridge listens, before any value).
    expect(sub.messages.filter((m) => m.topic.startsWith('weble/q0/1/')).map((m) => m.topic)).toEqual([]);
    await sub.next('gateway 2 state', (m) => m.topic === 'weble/q0/2/$state');
  });

  it('publish.deadband: a number is published when it moved by the deadband or more from the last published', async () => {
    const from = sub.messages.length;
    for (const value of [10, 12, 14, 15, 16, 19.9, 20, 100]) await write('a/1', value);
    await sub.next('a/1 = 100', (m) => m.topic === 'weble/db/1/a/1' && Subscriber.json(m).value === 100);
    const published = sub.messages
      .slice(from)
      .filter((m) => m.topic === 'weble/db/1/a/1')
      .map((m) => Subscriber.json(m).value);
    // From 7 (before): 10 is 3 away, 12 is 5 away; then 15 and 16 are 3 and 4 from 12; 19.9 is 7.9.
    expect(published).toEqual([12, 19.9, 100]);
  });

  it('publish.periodMs with onChange false: the last value again every period, with its source time', async () => {
    const from = sub.messages.length;
    const mine = (m: Received) => sub.messages.indexOf(m) >= from && m.topic === 'weble/per/1/a/1';
    await sub.next('3 periodic sends', () => sub.messages.filter(mine).length >= 3, 10_000);
    const sends = sub.messages.filter(mine).map((m) => Subscriber.json(m));
    expect(new Set(sends.map((p) => `${p.value}@${p.ts}`)).size).toBe(1);
    expect(sends[0]).toMatchObject({ value: 100, quality: 'good' });
  });

  it('every bridge is still up', async () => {
    const list = await site.processes();
    for (const id of BRIDGES)
      expect(list.find((p) => p.name === `northbound_${id}`)).toMatchObject({ state: 'up', restarts: 0 });
  });
});
