/**
 * Point metadata through the supervisor: `listAddresses` gives each address's `info` (writable,
 * limits, unit, state texts, relinquish) from the driver's point config, the device (a BACnet
 * device's state-text and active/inactive texts, min/max-pres-value) and site.yaml, in that order;
 * the gateway refuses a write to an address site.yaml made read-only and a number outside the
 * limits, with coded errors, before any request reaches the device (its registers stay as they were).
 */
import { startSimDevice, type SimDevice } from '@weble/driver-bacnet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../drivers/modbus/test/support/simulator.js';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import type { RemoteGateways } from '@weble/api';

let server: Simulator;
let sim: SimDevice;
let site: RunningSite;
let gateways: RemoteGateways;

beforeAll(async () => {
  server = await startSimulator({ transport: 'tcp', units: [1] });
  sim = await startSimDevice({ instance: 9101 });
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: plc, type: modbus, config: { transport: tcp, host: 127.0.0.1, port: ${server.port}, pollMs: 100, timeoutMs: 500 } }
  - { id: ahu, type: bacnet,
      config: { port: 0, interface: 127.0.0.1, broadcastAddress: "127.255.255.255:${sim.port}", apduTimeoutMs: 500, retries: 1, pollMs: 1000 } }
addresses:
  - { key: plc/setpoint, gateway: plc, unit: "°C", min: 5, max: 30, step: 0.5, point: { table: holding, address: 10 } }
  - { key: plc/locked, gateway: plc, writable: false, point: { table: holding, address: 11 } }
  - { key: plc/temp, gateway: plc, point: { table: input, address: 3 } }
  - { key: plc/mode, gateway: plc, states: { "0": Off, "1": Day, "2": Night }, point: { table: holding, address: 12 } }
  - { key: ahu/supply, gateway: ahu, point: { device: 9101, object: "analog-input:1" } }
  - { key: ahu/valve, gateway: ahu, point: { device: 9101, object: "analog-output:1" } }
  - { key: ahu/fan, gateway: ahu, point: { device: 9101, object: "binary-output:1" } }
  - { key: ahu/mode, gateway: ahu, point: { device: 9101, object: "multi-state-value:1" } }
  - { key: ahu/mode-named, gateway: ahu, states: { "1": Standby }, point: { device: 9101, object: "multi-state-value:1" } }
`);
  gateways = (await site.client('supervision').require('gateways')) as unknown as RemoteGateways;
  await site.until(
    'both devices read',
    async () => {
      const ok =
        (await gateways.readValue('ahu/supply').catch(() => undefined)) === 21.5 &&
        (await gateways.readValue('plc/temp').catch(() => undefined)) !== undefined;
      return ok ? true : undefined;
    },
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await site?.close();
  sim?.close();
  await server?.kill();
});

describe('point metadata', () => {
  it('listAddresses merges the driver config, the device and site.yaml into each info', async () => {
    // The device's texts come with its first read, which the readValue above followed.
    const infos = await site.until('the BACnet texts', async () => {
      const list = await gateways.listAddresses();
      const byKey = Object.fromEntries(list.map((a) => [a.key, a.info]));
      return byKey['ahu/mode']?.states ? byKey : undefined;
    });
    expect(infos).toEqual({
      'plc/setpoint': { writable: true, unit: '°C', min: 5, max: 30, step: 0.5 },
      'plc/locked': { writable: false },
      'plc/temp': { writable: false },
      'plc/mode': { writable: true, states: { 0: 'Off', 1: 'Day', 2: 'Night' } },
      'ahu/supply': { writable: false },
      'ahu/valve': { writable: true, relinquish: true, min: 0, max: 100 },
      'ahu/fan': { writable: true, relinquish: true, states: { false: 'Off', true: 'On' } },
      'ahu/mode': { writable: true, relinquish: false, states: { 1: 'Off', 2: 'Heat', 3: 'Cool' } },
      'ahu/mode-named': { writable: true, relinquish: false, states: { 1: 'Standby' } },
    });
    expect((await gateways.getAddress('plc/setpoint')).info).toEqual(infos['plc/setpoint']);
  });

  it('refuses a write to a read-only address and a number outside the limits, before the device', async () => {
    await expect(gateways.writeValue('plc/locked', 1)).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: 'write plc/locked: the address is read-only (writable: false in site.yaml)',
    });
    await expect(gateways.writeValue('plc/setpoint', 31)).rejects.toMatchObject({
      code: 'OUT_OF_RANGE',
      message: 'write plc/setpoint: 31 is outside 5 .. 30',
    });
    await expect(gateways.writeValue('plc/setpoint', 4.5)).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
    await expect(gateways.writeValue('ahu/valve', 101)).rejects.toMatchObject({
      code: 'OUT_OF_RANGE',
      message: 'write ahu/valve: 101 is outside 0 .. 100',
    });
    expect(await server.get(1, 'holding', 11, 1)).toEqual([0]);
    expect(await server.get(1, 'holding', 10, 1)).toEqual([0]);
    expect(sim.get('analog-output:1')).toBe(0);
    await gateways.writeValue('plc/setpoint', 30);
    expect(await server.get(1, 'holding', 10, 1)).toEqual([30]);
    await gateways.writeValue('ahu/valve', 100);
    expect(sim.get('analog-output:1')).toBe(100);
  });

  it('a runtime update with min above max is a coded error naming the field', async () => {
    await expect(
      gateways.updateAddress({
        key: 'plc/setpoint',
        gateway: 'plc',
        min: 10,
        max: 5,
        point: { table: 'holding', address: 10 },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('address.min: min is above max'),
    });
  });
});
