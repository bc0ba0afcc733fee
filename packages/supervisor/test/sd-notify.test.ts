/**
 * The notifier and the journal priorities on their own, over real sockets: datagrams to a path
 * and to the abstract namespace (`@name`), no heartbeat when WATCHDOG_PID names another process,
 * the variables taken out of the environment, nothing at all outside systemd, and a notify socket
 * nobody listens on reported once without throwing.
 */
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { linePriority } from '../src/service/journal-stream.js';
import { serviceNotifier, watchdogPeriodMs } from '../src/service/sd-notify.js';
import { tempDirs } from './fixtures/sites.js';

const dirs = tempDirs();
const sockets: DgramSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(() => dirs.cleanup());

/** A bound datagram socket and the messages it got. */
function listen(address: string): string[] {
  const got: string[] = [];
  const socket = new DgramSocket();
  socket.bind(address);
  socket.on('data', (data: Buffer) => got.push(data.toString()));
  sockets.push(socket);
  return got;
}

function until(what: string, probe: () => boolean, ms = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const look = (): void => {
      if (probe()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`${what}: not within ${ms} ms`));
      setTimeout(look, 10);
    };
    look();
  });
}

function recordingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe('serviceNotifier', () => {
  it('sends READY, STATUS, STOPPING to a path socket and heartbeats at half of WATCHDOG_USEC', async () => {
    const dir = await dirs.make();
    const got = listen(join(dir, 'notify.sock'));
    const env: NodeJS.ProcessEnv = {
      NOTIFY_SOCKET: join(dir, 'notify.sock'),
      WATCHDOG_USEC: '100000',
      WATCHDOG_PID: String(process.pid),
      KEEP: 'x',
    };
    const notifier = await serviceNotifier(recordingLogger().logger, env);
    expect(notifier.watchdogMs).toBe(50);
    expect(env).toEqual({ KEEP: 'x' });
    notifier.ready('site up\nwith two lines');
    await until('two heartbeats', () => got.filter((m) => m === 'WATCHDOG=1').length >= 2);
    notifier.stopping();
    await until('STOPPING=1', () => got.includes('STOPPING=1\nSTATUS=stopping'));
    notifier.close();
    expect(got).toContain('READY=1\nSTATUS=site up with two lines');
  });

  it('reaches an abstract socket (@name)', async () => {
    const name = `weble-notify-test-${process.pid}`;
    const got = listen(`\0${name}`);
    const notifier = await serviceNotifier(recordingLogger().logger, { NOTIFY_SOCKET: `@${name}` });
    expect(notifier.watchdogMs).toBeUndefined();
    notifier.ready();
    await until('READY=1', () => got.includes('READY=1'));
    notifier.close();
  });

  it('does nothing outside systemd, and no heartbeat for a watchdog meant for another process', async () => {
    const off = await serviceNotifier(recordingLogger().logger, { WATCHDOG_USEC: '100000' });
    expect(off.enabled).toBe(false);
    expect(off.watchdogMs).toBeUndefined();
    off.ready();
    off.close();
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, 4242)).toBeUndefined();
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '30000000' }, 4242)).toBe(15_000);
    expect(watchdogPeriodMs({ WATCHDOG_USEC: 'soon' }, 4242)).toBeUndefined();
  });

  it('a notify socket nobody listens on: one warning, no throw', async () => {
    const dir = await dirs.make();
    const { logger, lines } = recordingLogger();
    const notifier = await serviceNotifier(logger, { NOTIFY_SOCKET: join(dir, 'nobody.sock') });
    notifier.ready();
    notifier.status('still here');
    await until('the warning', () =>
      lines.some((l) => /systemd notification not (delivered|sent)/.test(String(l.msg))),
    );
    notifier.close();
    expect(lines.filter((l) => /systemd notification/.test(String(l.msg)))).toHaveLength(1);
  });
});

describe('linePriority', () => {
  it.each([
    ['{"level":60,"msg":"x"}', false, 2],
    ['{"level":50,"msg":"x"}', false, 3],
    ['{"level":40,"msg":"x"}', true, 4],
    ['{"level":30,"msg":"x"}', true, 6],
    ['{"level":20,"msg":"x"}', false, 7],
    ['plain line', false, 6],
    ['Error: boom', true, 3],
  ])('%s (stderr %s) -> %d', (line, stderr, priority) => {
    expect(linePriority(line, stderr)).toBe(priority);
  });
});
