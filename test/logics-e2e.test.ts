/**
 * The logic-script contract end to end: the example logics in logics/ (TypeScript, run through
 * tsx by the supervisor) as the peers logic_<name> of a real supervised site with virtual points.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import type { RemoteGateways } from '@weble/api';

const LOGICS = fileURLToPath(new URL('../logics/', import.meta.url));

const SITE = `
hub: { socket: ./run/s.sock }
gateways:
  - { id: room, type: virtual, config: { tickMs: 50 } }
addresses:
  - { key: t, gateway: room, alias: room.temperature, unit: "°C", point: { type: number, initial: 18 } }
  - { key: sp, gateway: room, alias: thermostat.setpoint, unit: "°C", point: { type: number, initial: 21 } }
  - { key: valve, gateway: room, alias: heating.valve, unit: "%", point: { type: number } }
  - { key: alarm, gateway: room, alias: alarm.temperature, point: { type: boolean, initial: false } }
logics:
  - { name: thermostat, file: ${LOGICS}thermostat.ts }
  - { name: temperature-alarm, file: ${LOGICS}temperature-alarm.ts }
supervision:
  restart: { initialMs: 50, maxMs: 200 }
`;

let site: RunningSite;
let gateways: RemoteGateways;

beforeAll(async () => {
  site = await startSite(SITE);
  await site.until('both logics up', async () => {
    const list = await site.processes();
    return list.filter((p) => p.name.startsWith('logic_') && p.state === 'up').length === 2 ? true : undefined;
  });
  gateways = (await site.client('supervision').require('gateways')) as unknown as RemoteGateways;
});
afterAll(async () => site?.close());

const valve = (): Promise<unknown> => gateways.readValue('heating.valve');

describe('logics/thermostat.ts (logic_thermostat)', () => {
  it('commands the valve from the temperature and the set point, proportionally', async () => {
    // 18 °C with 21 °C set: fully open.
    await site.until('valve open', async () => ((await valve()) === 100 ? true : undefined));
    await gateways.writeValue('room.temperature', 21.5);
    await site.until('valve at 25 %', async () => ((await valve()) === 25 ? true : undefined));
    await gateways.writeValue('thermostat.setpoint', 19);
    await site.until('valve closed', async () => ((await valve()) === 0 ? true : undefined));
    const [state] = (await site.client('logic_thermostat').call('thermostat', 'state', [])) as [
      { temperature: number; setpoint: number; valve: number },
    ];
    expect(state).toMatchObject({ temperature: 21.5, setpoint: 19, valve: 0 });
  });

  it('is restarted by the supervisor after a crash and picks up the last values', async () => {
    const before = await site.find('logic_thermostat');
    process.kill(before!.pid!, 'SIGKILL');
    await site.until('a new logic_thermostat', async () => {
      const now = await site.find('logic_thermostat');
      return now?.state === 'up' && now.pid !== before!.pid ? true : undefined;
    });
    await gateways.writeValue('heating.valve', 50); // someone moved it by hand
    await gateways.writeValue('room.temperature', 17);
    await site.until('valve open again', async () => ((await valve()) === 100 ? true : undefined));
  });
});

describe('logics/temperature-alarm.ts (logic_temperature-alarm)', () => {
  it('raises the alarm after the temperature stays above the limit, emits it, and clears it', async () => {
    const events: string[] = [];
    const alarmPeer = site.client('logic_temperature-alarm');
    alarmPeer.on('alarm raised', () => events.push('raised'));
    alarmPeer.on('alarm cleared', () => events.push('cleared'));
    await gateways.writeValue('room.temperature', 30);
    await site.until('alarm raised', async () =>
      (await gateways.readValue('alarm.temperature')) === true ? true : undefined,
    );
    await gateways.writeValue('room.temperature', 20);
    await site.until('alarm cleared', async () =>
      (await gateways.readValue('alarm.temperature')) === false ? true : undefined,
    );
    await site.until('both events', async () => (events.length === 2 ? true : undefined));
    expect(events).toEqual(['raised', 'cleared']);
  });
});
