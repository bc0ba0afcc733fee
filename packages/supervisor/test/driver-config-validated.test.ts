/**
 * The supervisor validates each gateway with its driver package's own `./schema` and says so in
 * the config message (`validatedBy: <package>@<version>`): a driver bundled from that package uses
 * the config as sent and never loads its schemas, zod with them (about 3 MiB of every idle driver,
 * docs/memory.md). A real supervisor and virtual driver; the driver's debug lines in its log file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { waitUntil } from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDriverCatalog } from '../src/config/index.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const require = createRequire(import.meta.url);
const VIRTUAL = require('@weble/driver-virtual/package.json') as { name: string; version: string };

let site: RunningSite;
beforeAll(async () => {
  site = await startSite(
    `hub: { socket: ./run/s.sock }
supervision: { logs: { dir: ./run/logs } }
gateways:
  - { id: 5, type: virtual, config: {} }
addresses:
  - { key: "5/0/1", gateway: 5, point: { type: number, initial: 1 } }
`,
    undefined,
    { env: { WEBLE_LOG_LEVEL: 'debug' } },
  );
  await site.until('the driver up', async () =>
    (await site.find('driver_virtual_5'))?.state === 'up' ? true : undefined,
  );
}, 60_000);

afterAll(async () => {
  await site?.close();
});

describe('a gateway validated by the supervisor', () => {
  it("names the driver package's schemas it validated with", () => {
    expect(defaultDriverCatalog(site.dir).get('virtual')?.schemaId).toBe(`${VIRTUAL.name}@${VIRTUAL.version}`);
  });

  it('runs its driver without the driver loading its schemas', async () => {
    const log = (): string => readFileSync(join(site.dir, 'run/logs/driver_virtual_5.log'), 'utf8');
    await waitUntil(() => log().includes('configuration validated by the parent with these schemas: not loaded'), {
      what: 'the driver to use its config as sent',
    });
    expect(log()).not.toContain('driver schemas loaded');
  });
});
