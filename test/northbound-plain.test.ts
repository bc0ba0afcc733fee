/**
 * The northbound bridge end to end, plain mode: `weble-supervisor start` (the built CLI) on a site
 * with a virtual gateway, a Modbus gateway on a pymodbus server and a `northbound` entry pointing at
 * Debian's mosquitto started by the test. An independent MQTT.js subscriber sees retained JSON
 * values, gateway states and the bridge's online state; writes from the broker land on the device,
 * refused and malformed ones are answered; the will marks the bridge offline when it is SIGKILLed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startSimulator, type Simulator } from '../drivers/modbus/test/support/simulator.js';
import { startMosquitto, Subscriber, type Broker } from './support/mosquitto.js';

const CLI = fileURLToPath(new URL('../packages/supervisor/dist/cli.js', import.meta.url));

let site: RunningSite;
let broker: Broker;
let device: Simulator;
let sub: Subscriber;

beforeAll(async () => {
  broker = await startMosquitto();
  device = await startSimulator({ transport: 'tcp', units: [1] });
  sub = await Subscriber.connect(broker.url, ['weble/#']);
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, name: logic, config: { tickMs: 1000 } }
  - { id: 2, type: modbus, name: plc, config: { transport: tcp, host: 127.0.0.1, port: ${device.port}, pollMs: 50, timeoutMs: 500 } }
addresses:
  - { key: "0/0/1", gateway: 1, name: setpoint, point: { type: number, initial: 21 } }
  - { key: "0/0/2", gateway: 1, name: mode, point: { type: string, initial: comfort } }
  - { key: "plc/level", gateway: 2, name: level, point: { table: holding, address: 10 } }
northbound:
  - id: cloud
    brokers: [ "${broker.url}" ]
    site: lab
    writable: [ setpoint, "plc/*" ]
`);
  await site.until(
    'northbound_cloud up',
    async () => ((await site.find('northbound_cloud'))?.state === 'up' ? true : undefined),
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await sub?.close();
  await site?.close();
  await device?.kill();
  await broker?.close();
});

async function command(topic: string, payload: string, what: string): Promise<Record<string, unknown>> {
  const from = sub.messages.length;
  await sub.client.publishAsync(`${topic}/set`, payload, { qos: 1 });
  return Subscriber.json(
    await sub.next(what, (m) => sub.messages.indexOf(m) >= from && m.topic === `${topic}/set/result`),
  );
}

describe('northbound, plain mode', () => {
  it('publishes values as retained JSON {value, quality, ts} on weble/<site>/<gateway>/<key>', async () => {
    const first = await sub.next('setpoint', (m) => m.topic === 'weble/lab/1/0/0/1');
    expect(Subscriber.json(first)).toMatchObject({ value: 21, quality: 'good', ts: expect.any(Number) });
    const gateways = await site.client('supervision').require('gateways');
    await gateways.writeValue('setpoint', 22.5);
    const changed = await sub.next(
      'setpoint 22.5',
      (m) => m.topic === 'weble/lab/1/0/0/1' && Subscriber.json(m).value === 22.5,
    );
    expect(Math.abs(Number(Subscriber.json(changed).ts) - Date.now())).toBeLessThan(10_000);
    // Retained: a subscriber arriving later gets the last value at once.
    const late = await Subscriber.connect(broker.url, ['weble/lab/1/0/0/1']);
    try {
      const retained = await late.next('retained setpoint', (m) => m.retain);
      expect(Subscriber.json(retained).value).toBe(22.5);
    } finally {
      await late.close();
    }
  });

  it('publishes gateway states and its own online state', async () => {
    const state = await sub.next(
      'gateway 2 online',
      (m) => m.topic === 'weble/lab/2/$state' && Subscriber.json(m).state === 'online',
    );
    expect(Subscriber.json(state)).toMatchObject({ state: 'online' });
    const online = await sub.next(
      'bridge online',
      (m) => m.topic === 'weble/lab/$bridge/cloud' && Subscriber.json(m).online === true,
    );
    expect(online).toBeDefined();
  });

  it('writes from <topic>/set land on the device; the result comes on <topic>/set/result', async () => {
    const result = await command('weble/lab/2/plc/level', '{"value": 1234, "id": "w1"}', 'write result');
    expect(result).toEqual({ id: 'w1', ok: true });
    expect(await device.get(1, 'holding', 10, 1)).toEqual([1234]);
  });

  it('answers a write to an address off the allow-list, a malformed command and a bad value with a code', async () => {
    expect(await command('weble/lab/1/0/0/2', '{"value": "eco", "id": 7}', 'refused write')).toMatchObject({
      id: 7,
      ok: false,
      code: 'NORTHBOUND_WRITE_NOT_ALLOWED',
    });
    expect(await command('weble/lab/1/0/0/1', '{"value": ', 'malformed')).toMatchObject({
      ok: false,
      code: 'NORTHBOUND_BAD_COMMAND',
    });
    expect(await command('weble/lab/1/0/0/1', '[1, 2]', 'not an object')).toMatchObject({
      ok: false,
      code: 'NORTHBOUND_BAD_COMMAND',
    });
    expect(await command('weble/lab/1/0/0/1', '{"value": "warm"}', 'bad value')).toMatchObject({
      ok: false,
      code: 'DRIVER_BAD_VALUE',
    });
    const gateways = await site.client('supervision').require('gateways');
    expect(await gateways.getLastValue('mode')).toBe('comfort');
    expect((await site.find('northbound_cloud'))?.state).toBe('up');
  });

  it('shows its status in system.processes and in weble-supervisor status', async () => {
    const info = await site.until('bridge status', async () => {
      const p = await site.find('northbound_cloud');
      return p?.bridge?.connected && p.bridge.published > 0 ? p : undefined;
    });
    expect(info.kind).toBe('northbound');
    expect(info.bridge).toMatchObject({ id: 'cloud', mode: 'plain', connected: true, broker: broker.url, dropped: 0 });
    expect(info.bridge!.writes.ok).toBeGreaterThanOrEqual(1);
    expect(info.bridge!.writes.failed).toBeGreaterThanOrEqual(4);
    const text = execFileSync(process.execPath, [CLI, 'status', '--socket', site.socket], { encoding: 'utf8' });
    expect(text).toMatch(
      new RegExp(`northbound_cloud\\s+up[\\s\\S]*\\| connected to ${broker.url.replace(/[.]/g, '\\.')}; buffered \\d+`),
    );
  });

  it('its will marks it offline when it is SIGKILLed; restarted, it is online again', async () => {
    const before = await site.find('northbound_cloud');
    const from = sub.messages.length;
    process.kill(before!.pid!, 'SIGKILL');
    const offline = await sub.next(
      'will',
      (m) =>
        sub.messages.indexOf(m) >= from && m.topic === 'weble/lab/$bridge/cloud' && Subscriber.json(m).online === false,
      15_000,
    );
    expect(offline.retain).toBe(false); // delivered live; the broker keeps it retained for later subscribers
    await sub.next(
      'online again',
      (m) =>
        sub.messages.indexOf(m) > sub.messages.indexOf(offline) &&
        m.topic === 'weble/lab/$bridge/cloud' &&
        Subscriber.json(m).online === true,
      15_000,
    );
    expect((await site.find('northbound_cloud'))?.restarts).toBeGreaterThanOrEqual(1);
  });
});
