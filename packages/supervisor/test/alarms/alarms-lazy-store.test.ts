/**
 * A site without alarms opens no alarm history file (no alarms.sqlite in its history directory)
 * until it asks for the history or gets its first alarm; then both work as usual.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Peers } from '@weble/peers-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../fixtures/running-site.js';

let site: RunningSite | undefined;
afterAll(async () => site?.close());

describe('the alarm history of a site without alarms', () => {
  it('is opened only when asked for or needed', async () => {
    site = await startSite(`hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: level, point: { type: number, initial: 70 } }
`);
    await site.until('driver up', async () =>
      (await site!.find('driver_virtual_1'))?.state === 'up' ? true : undefined,
    );
    const file = join(site.dir, 'run', 'history', 'alarms.sqlite');
    const call = async (method: string, ...args: unknown[]): Promise<unknown> =>
      (await (site!.client as Peers)('supervision').call('alarms', method, args))[0];
    expect(await call('listAlarms')).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(await call('history', {})).toEqual([]);
    expect(existsSync(file)).toBe(true);
    await call('insertAlarm', { id: 'high', address: 'level', kind: 'high', limit: 50 });
    const records = await site.until('raised and stored', async () => {
      const list = (await call('history', {})) as Array<{ event: string }>;
      return list.length > 0 ? list : undefined;
    });
    expect(records.map((r) => r.event)).toEqual(['raised']);
  });
});
