/**
 * The demo without one of its tools: when a simulator's requirement is missing (socat on a
 * machine where it cannot be installed), its gateway is left out with a one-line explanation and
 * the rest of the demo runs. The missing tool is simulated by a requirement check that fails;
 * everything else is the real demo on free ports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPeers from '@weble/peers-core';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, simulators, startDemo, type Demo } from '../scripts/demo/demo.mjs';

const runDir = mkdtempSync(join(tmpdir(), 'weble-demo-'));
let demo: Demo | undefined;

afterAll(async () => {
  await demo?.stop();
  rmSync(runDir, { recursive: true, force: true });
});

describe('the demo when socat is missing', () => {
  it('leaves the serial gateway out with a one-line explanation; everything else comes up', async () => {
    const noSocat = simulators.map((sim) =>
      sim.name === 'serial-sim' ? { ...sim, requires: [{ what: 'socat', check: 'exit 1', install: 'socat' }] } : sim,
    );
    const lines: string[] = [];
    demo = await startDemo({
      ports: {
        http: await freePort('tcp'),
        modbus: await freePort('tcp'),
        bacnet: await freePort('udp'),
        knx: await freePort('udp'),
      },
      runDir,
      sims: noSocat,
      say: (line) => lines.push(line),
    });
    expect(demo.leftOut).toEqual(['meter']);
    expect(lines).toContain(
      'serial-sim: left out with gateway meter: socat is not installed (on Debian, as root: apt-get install socat)',
    );
    const site = parse(readFileSync(demo.config, 'utf8')) as { gateways: Array<{ id: unknown; enabled?: boolean }> };
    expect(site.gateways.find((g) => g.id === 'meter')).toMatchObject({ enabled: false });
    const client = createPeers(`left_out_test_${process.pid}`, { logger: { debug() {}, warn() {}, error() {} } });
    client.connect(demo.socket);
    await new Promise<void>((resolve) => client.once('connect supervision', () => resolve()));
    const [list] = (await client('supervision').call('system', 'processes', [])) as [
      Array<{ name: string; state: string }>,
    ];
    await client.close();
    expect(list.map((p) => `${p.name}:${p.state}`).sort()).toEqual([
      'driver_bacnet_ahu:up',
      'driver_knx_lights:up',
      'driver_modbus_boiler:up',
      'driver_virtual_plant:up',
      'logic_thermostat:up',
      'webserver:up',
    ]);
  }, 120_000);
});
