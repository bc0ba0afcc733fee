/**
 * The supervisor's two timeouts with real processes: a child that never joins the mesh is killed
 * at `startTimeoutMs` (and ends `failed` after the allowed restarts); a child that ignores SIGTERM
 * is SIGKILLed after `stopTimeoutMs`.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const fixture = (name: string) => JSON.stringify(fileURLToPath(new URL(`./fixtures/e2e/${name}`, import.meta.url)));

let site: RunningSite;

beforeAll(async () => {
  site = await startSite(`hub: { socket: ./run/s.sock }
logics:
  - { name: stubborn, file: ${fixture('stubborn-logic.cjs')} }
  - { name: silent, file: ${fixture('silent-logic.cjs')} }
supervision:
  startTimeoutMs: 1500
  stopTimeoutMs: 300
  restart: { initialMs: 20, maxMs: 50, maxRestarts: 2, withinMs: 60000, failedRetryMs: 600000 }
`);
}, 30_000);

afterAll(() => site?.close());

describe('supervisor timeouts', () => {
  it('a child that never joins the mesh is killed at its start timeout, then failed', async () => {
    const silent = await site.until('logic_silent failed', async () => {
      const p = await site.find('logic_silent');
      return p?.state === 'failed' ? p : undefined;
    });
    expect(silent.restarts).toBe(2);
    expect(silent.lastError?.join('\n')).toContain('not up within 1500 ms');
  });

  it('a child that ignores SIGTERM is SIGKILLed after the stop timeout', async () => {
    await site.until('logic_stubborn up', async () =>
      (await site.find('logic_stubborn'))?.state === 'up' ? true : undefined,
    );
    const started = Date.now();
    await site.client('supervision').call('system', 'stop', ['logic_stubborn']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await site.find('logic_stubborn')).toMatchObject({ state: 'stopped', pid: null });
    expect(site.output()).toContain('did not stop within 300 ms; SIGKILL');
  });
});
