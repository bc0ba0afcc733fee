/**
 * The Modbus driver end to end: `weble-supervisor start` (the built CLI, a real child process) on
 * a site.yaml with a Modbus TCP gateway pointing at a pymodbus server started by the test.
 * `gateways.writeValue` changes the server's registers; a value changed in the server arrives
 * as `newValue <key>` on the supervisor's mesh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import { startSimulator, type Simulator } from '../../drivers/modbus/test/support/simulator.js';

let site: RunningSite;
let server: Simulator;

/** The float32 in two registers, words swapped (CDAB), as the point below reads it. */
function cdab(value: number): number[] {
  const be = Buffer.alloc(4);
  be.writeFloatBE(value);
  return [be.readUInt16BE(2), be.readUInt16BE(0)];
}

beforeAll(async () => {
  server = await startSimulator({ transport: 'tcp', units: [1, 2] });
  await server.set(1, 'holding', 10, cdab(20.5));
  site = await startSite(`
hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: modbus, name: plc, config: { transport: tcp, host: 127.0.0.1, port: ${server.port}, pollMs: 50, timeoutMs: 500 } }
addresses:
  - { key: "plc/setpoint", gateway: 1, name: setpoint, point: { table: holding, address: 10, type: float32, order: CDAB } }
  - { key: "plc/counter", gateway: 1, point: { table: holding, address: 0, unit: 2 } }
  - { key: "plc/run", gateway: 1, point: { table: coil, address: 4, type: bool } }
  - { key: "plc/temp", gateway: 1, point: { table: input, address: 3, type: int16, scale: 0.1 } }
`);
  await site.until(
    'driver_modbus_1 up',
    async () => ((await site.find('driver_modbus_1'))?.state === 'up' ? true : undefined),
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await site?.close();
  await server?.kill();
});

describe('Modbus through the supervisor', () => {
  it('reads the device through gateways.readValue', async () => {
    const gateways = await site.client('supervision').require('gateways');
    expect(
      await site.until('setpoint read', async () =>
        (await gateways.readValue('setpoint')) === 20.5 ? 20.5 : undefined,
      ),
    ).toBe(20.5);
  });

  it('gateways.writeValue changes the registers in the pymodbus server', async () => {
    const gateways = await site.client('supervision').require('gateways');
    await gateways.writeValue('plc/setpoint', 22.25);
    expect(await server.get(1, 'holding', 10, 2)).toEqual(cdab(22.25));
    await gateways.writeValue('plc/run', true);
    expect(await server.get(1, 'coil', 4, 1)).toEqual([1]);
    await gateways.writeValue('plc/counter', 4321);
    expect(await server.get(2, 'holding', 0, 1)).toEqual([4321]);
    // The refusal names the point, why, and the gateway (docs/driver-contract.md).
    await expect(gateways.writeValue('plc/temp', 1)).rejects.toMatchObject({
      code: 'DRIVER_READ_ONLY',
      message: 'write "plc/temp": input registers are read-only (gateway 1 (modbus))',
    });
  });

  it('a value changed in the server arrives as newValue <key>', async () => {
    const gateways = await site.client('supervision').require('gateways');
    const seen: unknown[] = [];
    const onTemp = (_key: string, value: unknown) => seen.push(value);
    gateways.on('newValue plc/temp', onTemp);
    await server.set(1, 'input', 3, [215]);
    await site.until('newValue plc/temp', async () => (seen.includes(21.5) ? true : undefined));
    gateways.removeListener('newValue plc/temp', onTemp);
    const byName: unknown[] = [];
    const onSetpoint = (_key: string, value: unknown) => byName.push(value);
    gateways.on('newValue setpoint', onSetpoint);
    await server.set(1, 'holding', 10, cdab(18));
    await site.until('newValue setpoint', async () => (byName.includes(18) ? true : undefined));
    gateways.removeListener('newValue setpoint', onSetpoint);
  });
});
