/**
 * The bin loads its schemas (dist/bin-schema.cjs, with zod: about 3 MiB of an idle driver,
 * docs/memory.md) only when it must validate something. A configuration the supervisor validated
 * with this very package's schemas (`validatedBy: <name>@<version>` in the IPC message) is used as
 * sent; any other is validated as before: another version, a config from WEBLE_CONFIG or a file
 * (whatever it says), one whose shape is wrong. A written value loads them on the first write.
 * Real processes: the built bin, a test hub; the files a driver loaded read from `require.cache`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RemoteDriver } from '@weble/driver-kit';
import { spawnDriver, startTestHub, waitUntil, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, virtualConfig } from './helpers.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
const SELF = `${PACKAGE.name}@${PACKAGE.version}`;
const PROBE = fileURLToPath(new URL('./fixtures/loaded-files.cjs', import.meta.url));
const ADDRESSES = [{ key: 'setpoint', point: { type: 'number', initial: 20 } }];

let hub: TestHub;
let dir: string;
const children: DriverChild[] = [];
beforeAll(async () => {
  hub = await startTestHub();
  dir = mkdtempSync(join(tmpdir(), 'weble-lazy-schemas-'));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Start the bin with `message` as its config (IPC, or WEBLE_CONFIG with `ipc: false`); `loaded()` after it exits. */
function start(id: number, message: Record<string, unknown>, ipc = true) {
  const out = join(dir, `loaded-${id}.txt`);
  const child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName: `driver_virtual_${id}`,
    config: message,
    ipc,
    env: { NODE_OPTIONS: `--require ${PROBE}`, LOADED_FILES_OUT: out, WEBLE_LOG_LEVEL: 'debug' },
  });
  children.push(child);
  const loaded = (): string[] => readFileSync(out, 'utf8').split('\n');
  return { child, loaded };
}

const schemaBundle = (files: string[]): string[] => files.filter((file) => file.endsWith('bin-schema.cjs'));

describe('schemas on first need', () => {
  it('uses a config the supervisor validated with this package as sent, and loads the schemas on the first write', async () => {
    const { child, loaded } = start(1, { ...virtualConfig(1, ADDRESSES, { tickMs: 1_000 }), validatedBy: SELF });
    await hub.waitForPeer('driver_virtual_1');
    const driver = await hub.peers('driver_virtual_1').require<RemoteDriver>('driver');
    expect(await driver.status()).toMatchObject({ state: 'online' });
    expect(child.stderr).toContain('configuration validated by the parent with these schemas: not loaded');
    expect(child.stderr).not.toContain('driver schemas loaded');

    // A value from the mesh is still checked: the first write loads the schemas.
    await expect(driver.write('setpoint', 'warm')).rejects.toMatchObject({
      code: 'DRIVER_BAD_VALUE',
      message: expect.stringContaining('expected number, received string ("warm")'),
    });
    await driver.write('setpoint', 21.5);
    expect(await driver.read('setpoint')).toBe(21.5);
    await waitUntil(() => child.stderr.includes('"reason":"value check","msg":"driver schemas loaded"'), {
      what: 'the schemas loaded for the write',
    });
    child.process.kill('SIGTERM');
    expect(await child.exited).toMatchObject({ code: 0 });
    expect(schemaBundle(loaded())).toHaveLength(1);
  });

  it('does not load the schemas at all while nothing is written', async () => {
    const { child, loaded } = start(2, { ...virtualConfig(2, ADDRESSES), validatedBy: SELF });
    await hub.waitForPeer('driver_virtual_2');
    child.process.kill('SIGTERM');
    expect(await child.exited).toMatchObject({ code: 0 });
    const files = loaded();
    expect(files.some((file) => file.endsWith('bin-main.cjs') || file.endsWith('bin.cjs'))).toBe(true);
    expect(schemaBundle(files)).toEqual([]);
  });

  it.each([
    ['another version of the package', { validatedBy: `${PACKAGE.name}@0.0.0-other` }, true],
    ['no validatedBy', {}, true],
    ['WEBLE_CONFIG, whatever it says', { validatedBy: SELF }, false],
  ])('validates a config with %s: an invalid one is refused with every problem (exit 2)', async (_what, extra, ipc) => {
    const { child, loaded } = start(3, { ...virtualConfig(3, ADDRESSES, { tickMs: 1 }), ...extra }, ipc);
    expect(await child.exited).toMatchObject({ code: 2 });
    expect(child.stderr).toContain('driver_virtual: invalid configuration');
    expect(child.stderr).toContain('gateway.config.tickMs: Too small: expected number to be >=5');
    expect(schemaBundle(loaded())).toHaveLength(1);
  });

  it('validates a config that says it was validated but has not the shape of one', async () => {
    const { child } = start(4, {
      gateway: { id: 4, type: 'virtual', config: {} },
      addresses: 'none',
      validatedBy: SELF,
    });
    expect(await child.exited).toMatchObject({ code: 2 });
    expect(child.stderr).toContain('addresses: expected array, received string');
  });
});
