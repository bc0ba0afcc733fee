/**
 * The serial driver end to end, as integrators run it: `weble-supervisor start` (the built CLI, a
 * real child process) on a site.yaml with a serial gateway whose port is one end of a socat pty
 * pair; the device simulator holds the other end; the test is a peers client on the hub socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import createPeers, { type Peers } from '@weble/peers-core';
import { startPtyPair, type PtyPair } from '@weble/driver-serial/sim/pty-pair.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const supervisorPackage = require.resolve('@weble/supervisor/package.json');
const CLI = join(
  dirname(supervisorPackage),
  (require(supervisorPackage) as { bin: Record<string, string> }).bin['weble-supervisor']!,
);
const DEVICE = join(dirname(require.resolve('@weble/driver-serial/package.json')), 'sim', 'device.mjs');
const silent = { debug() {}, warn() {}, error() {} };

let dir: string;
let pair: PtyPair;
let device: ChildProcess;
let deviceOutput = '';
let supervisor: ChildProcess;
let output = '';
let client: Peers;

/** Resolve once `check` passes on the device simulator's output (JSON lines), or fail after `ms`. */
function deviceSaid(check: (line: Record<string, unknown>) => boolean, ms = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const scan = (): boolean =>
      deviceOutput
        .split('\n')
        .some((line) => line.startsWith('{') && check(JSON.parse(line) as Record<string, unknown>));
    if (scan()) return resolve();
    const onData = (): void => {
      if (!scan()) return;
      clearTimeout(timer);
      device.stdout!.off('data', onData);
      resolve();
    };
    const timer = setTimeout(() => {
      device.stdout!.off('data', onData);
      reject(new Error(`timed out waiting for the device; it said:\n${deviceOutput.slice(-1000)}`));
    }, ms);
    device.stdout!.on('data', onData);
  });
}

/** Poll a status round trip until it returns a value (25 ms between probes, not a synchronisation sleep). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; supervisor output:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weble-serial-site-'));
  pair = await startPtyPair(join(dir, 'pty'));
  device = spawn(process.execPath, [DEVICE, '--path', pair.device, '--interval', '60000', '--control'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  device.stdout!.setEncoding('utf8').on('data', (text: string) => void (deviceOutput += text));
  device.stderr!.setEncoding('utf8').on('data', (text: string) => void (deviceOutput += text));
  await deviceSaid((line) => line.event === 'ready');
  writeFileSync(
    join(dir, 'site.yaml'),
    `
hub: { socket: ./run/s.sock }
gateways:
  - id: 8
    type: serial
    name: meter
    config: { path: ${JSON.stringify(pair.driver)}, baudRate: 9600, pollMs: 100, timeoutMs: 500 }
addresses:
  - key: serial/temp
    gateway: 8
    name: meter_temp
    point: { type: number, read: { regex: '^TEMP=(?<value>-?[0-9.]+)$' } }
  - key: serial/sp
    gateway: 8
    name: meter_setpoint
    point:
      type: number
      poll: { command: 'READ SP\\n', reply: { regex: '^SP=(?<value>.+)$' } }
      write: { command: 'SET \${value}\\r\\n', reply: { regex: '^OK' }, reject: { regex: '^ERR' } }
`,
  );
  supervisor = spawn(process.execPath, [CLI, 'start', '--config', join(dir, 'site.yaml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  client = createPeers(`serial_site_test_${process.pid}`, { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
  client.connect(join(dir, 'run', 's.sock'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the supervisor did not come up; its output:\n${output.slice(-3000)}`)),
      20_000,
    );
    client.once('connect supervision', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}, 60_000);

afterAll(async () => {
  await client?.close();
  if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) {
    supervisor.kill('SIGTERM');
    await new Promise((r) => supervisor.once('exit', r));
  }
  if (device && device.exitCode === null && device.signalCode === null) {
    device.kill('SIGKILL');
    await new Promise((r) => device.once('exit', r));
  }
  await pair?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a serial gateway under the supervisor', () => {
  it('a value printed by the device arrives as newValue <key>; gateways.writeValue sends the command', async () => {
    const gateways = await client('supervision').require('gateways');
    await until('gateway 8 online', async () => ((await gateways.getGateway(8)).state === 'online' ? true : undefined));
    expect(
      await until('the polled setpoint', async () =>
        (await gateways.getLastValue('serial/sp')) === 20 ? 20 : undefined,
      ),
    ).toBe(20);

    const seen: Array<[string, unknown]> = [];
    const onValue = (address: string, value: unknown) => seen.push([address, value]);
    gateways.on('newValue serial/temp', onValue);
    await gateways.listGateways(); // a call answered after the subscription: the listener is in place
    device.stdin!.write(`${JSON.stringify({ line: 'TEMP=33.3' })}\n`);
    await until('newValue serial/temp 33.3', async () => (seen.some(([, v]) => v === 33.3) ? true : undefined), 5_000);
    expect(seen.find(([, v]) => v === 33.3)).toEqual(['serial/temp', 33.3]);
    expect(await gateways.getLastValue('meter_temp')).toBe(33.3);

    await gateways.writeValue('meter_setpoint', 24.5);
    await deviceSaid((line) => line.event === 'received' && line.text === 'SET 24.5');
    expect(await gateways.readValue('serial/sp')).toBe(24.5);
    gateways.removeListener('newValue serial/temp', onValue);
  });

  it('a write the device refuses comes back as an error naming the address', async () => {
    const gateways = await client('supervision').require('gateways');
    await expect(gateways.writeValue('serial/sp', 'warm')).rejects.toMatchObject({ code: 'DRIVER_BAD_VALUE' });
    await expect(gateways.writeValue('serial/temp', 1)).rejects.toMatchObject({
      code: 'DRIVER_READ_ONLY',
      message: expect.stringContaining('serial/temp'),
    });
  });
});
