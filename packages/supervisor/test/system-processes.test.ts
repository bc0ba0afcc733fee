/**
 * The `system` module through the mesh of a real site (the built `weble-supervisor start`, a
 * virtual gateway): processes carry pid, uptime, restarts and resident memory (checked against
 * /proc); `logTail` answers the driver's log; `log <process>` reaches a remote listener with the
 * lines of a restart.
 */
import { readFileSync } from 'node:fs';
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import type { RemoteSystem } from '@weble/api';

let site: RunningSite;
let system: RemoteSystem;

beforeAll(async () => {
  site = await startSite(`hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, name: boiler, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, point: { type: number, initial: 1 } }
`);
  await site.until('driver up', async () => ((await site.find('driver_virtual_1'))?.state === 'up' ? true : undefined));
  system = (await (site.client as Peers)('supervision').require('system')) as unknown as RemoteSystem;
}, 60_000);

afterAll(async () => {
  await site?.close();
});

/** VmRSS of a pid from /proc/<pid>/status, bytes. */
function vmRss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe('system on a running site', () => {
  it('lists processes with pid, uptime, restarts and resident memory, and no log path', async () => {
    const p = (await site.find('driver_virtual_1'))!;
    expect(p).toMatchObject({ kind: 'driver', state: 'up', restarts: 0 });
    expect(p.pid).toBeGreaterThan(0);
    expect(p.uptimeMs).toBeGreaterThanOrEqual(0);
    // Memory moves a little between the two reads: within 20 % of the kernel's own figure.
    const rss = vmRss(p.pid!);
    expect(p.rss).toBeGreaterThan(rss * 0.8);
    expect(p.rss).toBeLessThan(rss * 1.2);
    expect(p).not.toHaveProperty('logFile');
  });

  it('answers the tail of a log and refuses unknown processes with a coded error', async () => {
    const lines = (await system.logTail('driver_virtual_1', 50)) as string[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('driver virtual started for gateway 1');
    await expect(system.logTail('driver_nope', 5)).rejects.toMatchObject({ code: 'UNKNOWN_PROCESS' });
    await expect(system.logTail('driver_virtual_1', 5000)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('sends new log lines as `log <process>` events to a remote listener, across a restart', async () => {
    const before = (await site.find('driver_virtual_1'))!;
    const seen: string[] = [];
    let resolveSeen!: () => void;
    const done = new Promise<void>((resolve) => (resolveSeen = resolve));
    const onLines = (lines: unknown): void => {
      seen.push(...(lines as string[]));
      if (
        seen.some((l) => l.includes('driver_virtual_1 exited')) &&
        seen.some((l) => l.includes('driver virtual started'))
      )
        resolveSeen();
    };
    system.on('log driver_virtual_1', onLines);
    // The subscription is confirmed before the next call on the same link is answered.
    await system.processes();
    await system.restart('driver_virtual_1');
    await done;
    const after = await site.until('driver back', async () => {
      const p = await site.find('driver_virtual_1');
      return p?.state === 'up' && p.pid !== before.pid ? p : undefined;
    });
    expect(after.restarts).toBe(0); // a restart on request is not a crash
    system.removeListener('log driver_virtual_1', onLines);
  });

  it('sends every state change of a process as `processState (name, state)`', async () => {
    const before = (await site.find('driver_virtual_1'))!;
    const states: string[] = [];
    let resolveUp!: () => void;
    const up = new Promise<void>((resolve) => (resolveUp = resolve));
    const onState = (name: unknown, state: unknown): void => {
      if (name !== 'driver_virtual_1') return;
      states.push(String(state));
      if (state === 'up') resolveUp();
    };
    system.on('processState', onState);
    await system.processes(); // the subscription is confirmed before this answer
    process.kill(before.pid!, 'SIGKILL');
    await up;
    system.removeListener('processState', onState);
    expect(states[0]).not.toBe('up');
    expect(states.at(-1)).toBe('up');
    expect(states).toContain('starting');
  });
});
