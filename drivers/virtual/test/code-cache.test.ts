/**
 * The driver bin's V8 code cache (scripts/build/driver-bin-loader.cjs, `WEBLE_CODE_CACHE_DIR`, set
 * by the supervisor): the first start writes it, a start with it runs the driver as before, a
 * cache V8 refuses (corrupt, another Node) is replaced, a folder that cannot be made leaves the
 * driver running, and a bad configuration still exits 2 with its problems.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RemoteDriver } from '@weble/driver-kit';
import { spawnDriver, startTestHub, waitUntil, type DriverChild, type TestHub } from '@weble/driver-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, virtualConfig } from './helpers.js';

let hub: TestHub;
const children: DriverChild[] = [];
let nextId = 1;
beforeAll(async () => {
  hub = await startTestHub();
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await hub.close();
});

/** Start a virtual driver with `cacheDir` as its code cache folder; resolves once it reads a value. */
async function startWithCache(cacheDir: string): Promise<DriverChild> {
  const id = nextId++;
  const peerName = `driver_virtual_${id}`;
  const child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName,
    config: virtualConfig(id, [{ key: `v/${id}`, point: { type: 'number', initial: id } }]),
    env: { WEBLE_CODE_CACHE_DIR: cacheDir },
  });
  children.push(child);
  await hub.waitForPeer(peerName);
  const driver = await hub.peers(peerName).require<RemoteDriver>('driver');
  const value = await new Promise((resolve, reject) =>
    driver.read(`v/${id}`, (error, read) => (error ? reject(error) : resolve(read))),
  );
  expect(value).toBe(id);
  return child;
}

/** The cache files in `dir` (no temporary file left behind). */
function cacheFiles(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe('the driver bin with a code cache folder', () => {
  it('writes the cache after its first start; later starts run from it; a refused cache is replaced', async () => {
    const dir = join(hub.dir, 'cache-a');
    await startWithCache(dir);
    await waitUntil(() => cacheFiles(dir).length === 1 && cacheFiles(dir)[0]!.endsWith('.v8cache'), {
      timeoutMs: 10_000,
      what: 'the code cache written',
    });
    const [name] = cacheFiles(dir);
    expect(name).toContain(process.version);
    const file = join(dir, name!);
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(10_000);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    await startWithCache(dir);

    writeFileSync(file, Buffer.alloc(written.length, 7));
    await startWithCache(dir);
    await waitUntil(() => readFileSync(file)[0] !== 7, { timeoutMs: 10_000, what: 'the refused cache replaced' });
    expect(cacheFiles(dir)).toEqual([name]);
  });

  it('runs without a cache when its folder cannot be made (a file in the way)', async () => {
    const file = join(hub.dir, 'not-a-folder');
    writeFileSync(file, '');
    const child = await startWithCache(join(file, 'cache'));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // an absence: past the cache's write, 1 s after start
    expect(cacheFiles(hub.dir).filter((name) => name.includes('.tmp'))).toEqual([]);
    expect(child.alive).toBe(true);
    expect(child.stderr).not.toMatch(/EACCES|Error/);
  });

  it('has no import() in the bundle (a vm.Script cannot run one), and a bad configuration exits 2', async () => {
    const bundle = readFileSync(new URL('../dist/bin-main.cjs', import.meta.url), 'utf8');
    expect(bundle).not.toMatch(/[^\w$.]import\(/);
    const child = spawnDriver(BIN, {
      hub: hub.socket,
      config: { gateway: { id: 'not a gateway id', type: 'virtual' }, addresses: 'none' },
      env: { WEBLE_CODE_CACHE_DIR: join(hub.dir, 'cache-b') },
    });
    children.push(child);
    expect((await child.exited).code).toBe(2);
    expect(child.stderr).toContain('invalid configuration');
  });
});
