/**
 * No loss through the northbound bridge: 1,000 values/s written through a real site (10 virtual
 * addresses, each counting up) while Debian's mosquitto is stopped for about 10 s and started again,
 * and separately while the bridge is SIGKILLed during an outage. An independent subscriber (a
 * persistent MQTT 5 session, QoS 1) must get every value at least once, in order per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startMosquitto, Subscriber, type Broker } from './support/mosquitto.js';
import { checkSequence, ValueProducer } from './support/value-producer.js';

const KEYS = Array.from({ length: 10 }, (_, i) => `n/${i}`);
const RATE = 1000;

let site: RunningSite;
let broker: Broker;
let sub: Subscriber;
let producer: ValueProducer;
/** Values the bridge took before any was written. */
let initialValues = 0;
/** Values received per address, in arrival order. */
const received = new Map<string, number[]>(KEYS.map((k) => [k, []]));

beforeAll(async () => {
  broker = await startMosquitto();
  sub = await Subscriber.connect(broker.url, ['weble/lab/1/n/#'], {
    clientId: 'no-loss-watcher',
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    resubscribe: false,
  });
  sub.client.on('message', (topic, payload) => {
    const key = topic.slice('weble/lab/1/'.length);
    received.get(key)?.push((JSON.parse(payload.toString()) as { value: number }).value);
  });
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
addresses:
${KEYS.map((k) => `  - { key: "${k}", gateway: 1, point: { type: number } }`).join('\n')}
northbound:
  - { id: nl, brokers: ["${broker.url}"], site: lab, reconnectMs: 100, publish: { addresses: ["n/*"] } }
`);
  await site.until(
    'bridge connected and listening',
    async () => {
      const b = (await site.find('northbound_nl'))?.bridge;
      return b?.connected && b.listening ? true : undefined;
    },
    20_000,
  );
  // The initial value (0) of each address, published when the bridge started.
  await site.until(
    'initial values',
    async () => (KEYS.every((k) => received.get(k)!.length > 0) ? true : undefined),
    20_000,
  );
  initialValues = (await bridge())!.received;
  producer = new ValueProducer(site.client, KEYS, RATE);
}, 60_000);

afterAll(async () => {
  await producer?.pause().catch(() => {});
  await sub?.close();
  await site?.close();
  await broker?.close();
});

async function bridge() {
  return (await site.find('northbound_nl'))?.bridge;
}

/** Wait until the subscriber has the last written value of every address. */
async function drained(ms: number): Promise<void> {
  await site.until(
    'every last value at the subscriber',
    async () => (KEYS.every((k) => received.get(k)!.includes(producer.last.get(k)!)) ? true : undefined),
    ms,
  );
}

function verify(from: Map<string, number>): number {
  let repeats = 0;
  const problems: Record<string, string[]> = {};
  for (const key of KEYS) {
    const result = checkSequence(received.get(key)!, from.get(key)! + 1, producer.last.get(key)!);
    if (result.problems.length > 0)
      problems[key] = [...result.problems, `values ${from.get(key)! + 1}..${producer.last.get(key)}`];
    repeats += result.repeats;
  }
  expect(problems).toEqual({});
  return repeats;
}

describe('northbound store-and-forward', () => {
  it('a broker stopped for ~10 s at 1,000 values/s: every value arrives, in order per address', async () => {
    const from = new Map(producer.last);
    producer.start();
    await site.until(
      'values flowing',
      async () => (((await bridge())?.published ?? 0) > 1000 ? true : undefined),
      20_000,
    );
    await broker.stop();
    // The outage lasts until about 10 s of values (10,000) are waiting in the bridge's buffer.
    const buffered = await site.until(
      '10 s of values buffered',
      async () => {
        const b = await bridge();
        return b && !b.connected && b.buffered.count >= 10 * RATE ? b : undefined;
      },
      30_000,
    );
    expect(buffered.lastError?.code).toBe('NORTHBOUND_BROKER_UNREACHABLE');
    await broker.start();
    await site.until(
      'replayed',
      async () => (((await bridge())?.buffered.count ?? Infinity) < RATE ? true : undefined),
      60_000,
    );
    await producer.pause();
    await drained(60_000);
    const repeats = verify(from);
    expect(buffered.buffered.count).toBeGreaterThanOrEqual(10 * RATE); // about 10 s of values held through the outage
    expect(repeats).toBeLessThanOrEqual(10 * 256); // at most the in-flight window again per reconnection
    expect((await bridge())?.dropped).toBe(0);
  }, 150_000);

  it('the bridge SIGKILLed while the broker is down: every value it received arrives, in order', async () => {
    const from = new Map(producer.last);
    producer.start();
    await site.until('values flowing', async () => ((await bridge())?.connected ? true : undefined), 20_000);
    await broker.stop();
    await site.until(
      '3 s of values buffered',
      async () => (((await bridge())?.buffered.count ?? 0) >= 3 * RATE ? true : undefined),
      30_000,
    );
    // Stop writing and let the bridge take every value written so far, then kill it.
    await producer.pause();
    // The bridge process has been up since the start: it received the initial values and every write.
    const before = await site.until(
      'bridge has every written value',
      async () => {
        const p = await site.find('northbound_nl');
        return p?.bridge?.received === initialValues + producer.written ? p : undefined;
      },
      20_000,
    );
    process.kill(before!.pid!, 'SIGKILL');
    const after = await site.until(
      'bridge restarted',
      async () => {
        const p = await site.find('northbound_nl');
        return p && p.pid !== before!.pid && p.state === 'up' && p.bridge?.listening ? p : undefined;
      },
      30_000,
    );
    expect(after.bridge!.buffered.count).toBeGreaterThanOrEqual(3 * RATE); // the buffer survived the kill
    producer.start();
    await site.until(
      'more values buffered',
      async () => (((await bridge())?.buffered.count ?? 0) >= after.bridge!.buffered.count + RATE ? true : undefined),
      30_000,
    );
    await broker.start();
    await site.until(
      'replayed',
      async () => (((await bridge())?.buffered.count ?? Infinity) < RATE ? true : undefined),
      60_000,
    );
    await producer.pause();
    await drained(60_000);
    verify(from);
  }, 150_000);
});
