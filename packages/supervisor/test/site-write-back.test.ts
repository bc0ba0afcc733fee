/**
 * Runtime changes persist (issue 15): gateways, addresses and loggers inserted, changed and
 * deleted through the mesh are written back to site.yaml with its comments kept, atomically, with
 * versions beside it; a restarted supervisor has them; a SIGHUP racing a change loses neither;
 * `weble-supervisor config history|diff|restore` list, compare and put back versions.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Peers } from '@weble/peers-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

const SITE = `# Boiler room, building B (kept across runtime changes)
hub: { socket: ./run/s.sock }
gateways:
  # the memory gateway
  - { id: 1, type: virtual, name: memory, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: supply, point: { type: number } } # supply temperature
loggers:
  - name: trend # every change of the supply
    addresses: [supply]
`;

let site: RunningSite;
const call = (module: string, method: string, ...args: unknown[]): Promise<unknown[]> =>
  (site.client as Peers)('supervision').call(module, method, args);
const text = (): string => readFileSync(join(site.dir, 'site.yaml'), 'utf8');
const config = (...args: string[]) =>
  run(process.execPath, [CLI, 'config', ...args, '--config', join(site.dir, 'site.yaml')]);

beforeAll(async () => {
  site = await startSite(SITE);
  await site.until('driver up', async () => ((await site.find('driver_virtual_1'))?.state === 'up' ? true : undefined));
}, 60_000);

afterAll(async () => {
  await site?.close();
});

describe('runtime changes written back to site.yaml', () => {
  it('writes inserts and updates with the comments kept, and keeps versions', async () => {
    await call('gateways', 'insertGateway', { id: 2, type: 'virtual', name: 'extra', config: { tickMs: 500 } });
    await call('gateways', 'insertAddress', {
      key: 'x/1',
      gateway: 2,
      name: 'extra_temp',
      point: { type: 'number', initial: 3 },
    });
    await call('gateways', 'updateAddress', {
      key: '1/0/1',
      gateway: 1,
      name: 'supply',
      unit: '°C',
      point: { type: 'number' },
    });
    await call('loggers', 'insertLogger', { name: 'extra', addresses: ['x/*'], retention: { days: 30 } });
    await call('loggers', 'updateLogger', { name: 'trend', addresses: ['supply', 'extra_temp'] });
    const now = text();
    for (const comment of [
      '# Boiler room, building B',
      '# the memory gateway',
      '# supply temperature',
      '# every change of the supply',
    ])
      expect(now).toContain(comment);
    const doc = parse(now) as {
      gateways: Array<{ id: unknown; config: unknown }>;
      addresses: Array<{ key: string; unit?: string }>;
      loggers: Array<{ name: string; addresses: string[] }>;
    };
    expect(doc.gateways.map((g) => g.id)).toEqual([1, 2]);
    expect(doc.gateways[1]!.config).toEqual({ tickMs: 500 });
    expect(doc.addresses.map((a) => a.key)).toEqual(['1/0/1', 'x/1']);
    expect(doc.addresses[0]!.unit).toBe('°C');
    expect(doc.loggers.map((l) => l.name)).toEqual(['trend', 'extra']);
    expect(doc.loggers[0]!.addresses).toEqual(['supply', 'extra_temp']);
    const { stdout } = await config('history');
    expect(stdout.trim().split('\n')).toHaveLength(5);
    const diff = (await config('diff', '5')).stdout;
    expect(diff).toMatch(/^\+ .*extra/m);
    expect((await run(process.execPath, [CLI, 'validate', '--config', join(site.dir, 'site.yaml')])).stdout).toContain(
      'is valid',
    );
  });

  it('keeps both a change and a SIGHUP reload that race', async () => {
    const insert = call('gateways', 'insertAddress', { key: 'x/2', gateway: 2, point: { type: 'number' } });
    site.supervisor.kill('SIGHUP');
    await insert;
    await site.until('reload done', async () => (site.output().includes('site.yaml reloaded') ? true : undefined));
    const [addresses] = (await call('gateways', 'listAddresses')) as [Array<{ key: string }>];
    expect(addresses.map((a) => a.key)).toContain('x/2');
    expect((parse(text()) as { addresses: Array<{ key: string }> }).addresses.map((a) => a.key)).toContain('x/2');
  });

  it('a restarted supervisor has every runtime change', async () => {
    await site.restart();
    await site.until('drivers up', async () =>
      (await site.find('driver_virtual_2'))?.state === 'up' ? true : undefined,
    );
    const [gateways] = (await call('gateways', 'listGateways')) as [Array<{ id: unknown; name?: string }>];
    expect(gateways.map((g) => [g.id, g.name])).toEqual([
      [1, 'memory'],
      [2, 'extra'],
    ]);
    expect(
      await site.until(
        'extra_temp known',
        async () => ((await call('gateways', 'getLastValue', 'extra_temp'))[0] ?? undefined) as number | undefined,
      ),
    ).toBe(3);
    const [loggers] = (await call('loggers', 'listLoggers')) as [Array<{ name: string; keys: string[] }>];
    expect(loggers.map((l) => [l.name, l.keys.sort()])).toEqual([
      ['trend', ['1/0/1', 'x/1']],
      ['extra', ['x/1', 'x/2']],
    ]);
  }, 60_000);

  it('deletes write back too (not under a logger that names them), and config restore puts a version back', async () => {
    await call('loggers', 'deleteLogger', 'extra');
    // Logger trend names extra_temp: deleting its gateway would leave site.yaml unloadable.
    await expect(call('gateways', 'deleteGateway', 2)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('logger "trend" records it (addresses[1] "extra_temp" would match nothing)'),
    });
    await expect(call('gateways', 'deleteAddress', 'extra_temp')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await call('loggers', 'updateLogger', { name: 'trend', addresses: ['supply'] });
    await call('gateways', 'deleteGateway', 2);
    const doc = parse(text()) as {
      gateways: Array<{ id: unknown }>;
      addresses: Array<{ key: string }>;
      loggers: Array<{ name: string }>;
    };
    expect(doc.gateways.map((g) => g.id)).toEqual([1]);
    expect(doc.addresses.map((a) => a.key)).toEqual(['1/0/1']);
    expect(doc.loggers.map((l) => l.name)).toEqual(['trend']);
    expect((await run(process.execPath, [CLI, 'validate', '--config', join(site.dir, 'site.yaml')])).stdout).toContain(
      'is valid',
    );
    const before = text();
    const restored = await config('restore', '1');
    expect(restored.stdout).toContain('restored');
    expect(text()).not.toBe(before);
    expect((parse(text()) as { gateways: Array<{ id: unknown }> }).gateways.map((g) => g.id)).toEqual([1, 2]);
    await expect(config('restore', 'nope')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no version "nope"'),
    });
  });

  it('lists versions and restores one through the system module, which reloads the site', async () => {
    const [history] = (await call('system', 'configHistory')) as [
      Array<{ id: string; savedAt: number; bytes: number }>,
    ];
    expect(history.length).toBeGreaterThanOrEqual(8);
    expect(history[0]!.savedAt).toBeGreaterThanOrEqual(history[1]!.savedAt);
    const gatewaysOf = (id: string): unknown[] =>
      (
        (
          parse(readFileSync(join(site.dir, 'site.yaml.versions', `${id}.yaml`), 'utf8')) as {
            gateways: Array<{ id: unknown }>;
          }
        ).gateways ?? []
      ).map((g) => g.id);
    // Back to a version with gateway 2: the reload starts it again.
    const two = history.find((v) => gatewaysOf(v.id).length === 2)!;
    const [result] = await call('system', 'configRestore', two.id);
    expect(result).toEqual({ ok: true, problems: [] });
    expect((parse(text()) as { gateways: Array<{ id: unknown }> }).gateways.map((g) => g.id)).toEqual([1, 2]);
    const [gateways] = (await call('gateways', 'listGateways')) as [Array<{ id: unknown }>];
    expect(gateways.map((g) => g.id)).toEqual([1, 2]);
    await site.until('gateway 2 running again', async () =>
      (await site.find('driver_virtual_2'))?.state === 'up' ? true : undefined,
    );
    await expect(call('system', 'configRestore', 'nope')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('no version "nope"'),
    });
  });
});
