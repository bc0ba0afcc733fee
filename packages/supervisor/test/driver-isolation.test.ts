/**
 * Drivers are plugins: the supervisor validates a site with each driver's `./schema` subpath only,
 * so neither validation (in this process) nor a running supervisor (a real child, its loaded
 * modules recorded by a preloaded probe) ever loads modbus-serial, serialport, the BACnet stack or
 * knxultimate: only the drivers' own processes do.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../src/config/index.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { tempDirs } from './fixtures/sites.js';

const PROTOCOL_LIBRARIES =
  /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(modbus-serial|serialport|@serialport\/[^/]+|@bacnet-js\/client|knxultimate)\//;
const DRIVERS = ['modbus', 'serial', 'bacnet', 'knx', 'virtual'];
/**
 * A driver's schema module, in the workspace (`drivers/modbus`) or installed (`@weble/driver-modbus`):
 * its ES module build (the supervisor runs as ES modules), or its CommonJS one on older Nodes.
 */
const schemaFile = (type: string): RegExp => new RegExp(`(?:drivers/|driver-)${type}/dist/schema\\.c?js$`);

const SITE = `hub: { socket: ./run/s.sock }
gateways:
  - { id: plc, type: modbus, config: { transport: tcp, host: 127.0.0.1, port: 1, pollMs: 1000 } }
  - { id: meter, type: serial, config: { path: ./no-such-port, baudRate: 9600 } }
  - { id: ahu, type: bacnet, config: { port: 0, interface: 127.0.0.1, devices: [{ instance: 1234, address: "127.0.0.1:9" }] } }
  - { id: lights, type: knx, config: { host: 127.0.0.1, port: 9 } }
  - { id: mem, type: virtual, config: {} }
addresses:
  - { key: plc/t, gateway: plc, point: { table: holding, address: 0, type: uint16 } }
  - { key: meter/t, gateway: meter, point: { type: number, read: { regex: '^T=(?<value>.+)$' } } }
  - { key: ahu/t, gateway: ahu, point: { device: 1234, object: "analog-input:1" } }
  - { key: "1/0/1", gateway: lights, point: { dpt: "1.001" } }
  - { key: mem/t, gateway: mem, point: { type: number, initial: 1 } }
`;

const dirs = tempDirs();
let site: RunningSite | undefined;
afterAll(async () => {
  await site?.close();
  await dirs.cleanup();
});

/** The files of `lines` that belong to a protocol library. */
function protocolModules(lines: string[]): string[] {
  return lines.filter((line) => PROTOCOL_LIBRARIES.test(line));
}

describe('the supervisor loads no protocol library', () => {
  it('validating a site with all five drivers loads their ./schema modules and nothing of the protocols', async () => {
    const dir = await dirs.make({ 'site.yaml': SITE });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    for (const type of DRIVERS)
      expect(
        loaded.some((file) => schemaFile(type).test(file)),
        type,
      ).toBe(true);
    expect(protocolModules(loaded)).toEqual([]);
  });

  it('a running supervisor (a real child with five driver processes) has none of them loaded', async () => {
    const log = join(await dirs.make(), 'modules.log');
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const probe = fileURLToPath(new URL('./fixtures/module-probe.cjs', import.meta.url));
    site = await startSite(SITE, undefined, {
      env: {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`,
        WEBLE_MODULE_LOG: log,
        WEBLE_PROBE_MAIN: cli,
      },
    });
    const running = site;
    await running.until('five drivers up', async () => {
      const drivers = (await running.processes()).filter((p) => p.kind === 'driver' && p.state === 'up');
      return drivers.length === 5 ? drivers : undefined;
    });
    const whileRunning = readFileSync(log, 'utf8').split('\n');
    expect(whileRunning.some((url) => url.endsWith('/supervisor/dist/cli.js'))).toBe(true);
    await running.close();
    site = undefined;
    const lines = readFileSync(log, 'utf8').split('\n');
    for (const type of DRIVERS)
      expect(
        lines.some((file) => schemaFile(type).test(file)),
        type,
      ).toBe(true);
    expect(protocolModules(lines)).toEqual([]);
  }, 60_000);
});
