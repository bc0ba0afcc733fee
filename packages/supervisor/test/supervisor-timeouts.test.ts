/**
 * The supervisor's two timeouts with real processes: a child that never joins the mesh is killed
 * at `startTimeoutMs` (and ends `failed` after the allowed restarts); a child that ignores SIGTERM
 * is SIGKILLed after `stopTimeoutMs`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../src/status-client.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const fixture = (name: string) => JSON.stringify(fileURLToPath(new URL(`./fixtures/e2e/${name}`, import.meta.url)));

let dir: string;
let supervisor: ChildProcess;
let client: Peers;
let output = '';

async function find(name: string): Promise<ProcessInfo | undefined> {
  const [list] = await client('supervision').call('system', 'processes', []);
  return (list as ProcessInfo[]).find((p) => p.name === name);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; supervisor output:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 25)); // poll interval between status round trips
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weble-timeouts-'));
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }
logics:
  - { name: stubborn, file: ${fixture('stubborn-logic.cjs')} }
  - { name: silent, file: ${fixture('silent-logic.cjs')} }
supervision:
  startTimeoutMs: 400
  stopTimeoutMs: 300
  restart: { initialMs: 20, maxMs: 50, maxRestarts: 2, withinMs: 60000, failedRetryMs: 600000 }
`,
  );
  supervisor = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'site.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  client = createPeers('timeouts_test', { logger: { debug() {}, warn() {}, error() {} }, backoff: { initialMs: 20, maxMs: 100 } });
  client.connect(join(dir, 'run', 's.sock'));
  await new Promise<void>((resolve) => client.once('connect supervision', () => resolve()));
}, 30_000);

afterAll(async () => {
  await client?.close();
  if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) {
    supervisor.kill('SIGTERM');
    await new Promise((r) => supervisor.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('supervisor timeouts', () => {
  it('a child that never joins the mesh is killed at its start timeout, then failed', async () => {
    const silent = await until('logic_silent failed', async () => {
      const p = await find('logic_silent');
      return p?.state === 'failed' ? p : undefined;
    });
    expect(silent.restarts).toBe(2);
    expect(silent.lastError?.join('\n')).toContain('not up within 400 ms');
  });

  it('a child that ignores SIGTERM is SIGKILLed after the stop timeout', async () => {
    await until('logic_stubborn up', async () => ((await find('logic_stubborn'))?.state === 'up' ? true : undefined));
    const started = Date.now();
    await client('supervision').call('system', 'stop', ['logic_stubborn']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await find('logic_stubborn')).toMatchObject({ state: 'stopped', pid: null });
    expect(output).toContain('did not stop within 300 ms; SIGKILL');
  });
});
