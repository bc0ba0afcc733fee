/**
 * The pymodbus test server (sim/modbus-server.py) as a child of the test: TCP on a port the OS
 * picks (or a given one, to restart on the same port) or RTU on a pty; driven by its stdin
 * commands. And a socat pty pair for RTU lines. Both are stopped by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@weble/driver-kit/testing';

const SCRIPT = fileURLToPath(new URL('../../sim/modbus-server.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** A running pymodbus server. */
export interface Simulator {
  /** TCP port (tcp) or 0. */
  readonly port: number;
  readonly process: ChildProcess;
  /** Send one command; resolves with the text after `OK`, rejects on `ERR`. */
  command(line: string): Promise<string>;
  /** Holding/input registers or bits as numbers. */
  get(unit: number, table: string, address: number, count: number): Promise<number[]>;
  set(unit: number, table: string, address: number, values: readonly number[]): Promise<void>;
  /** Requests served so far. */
  requests(): Promise<number>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  output(): string;
}

/** Start the server: `tcp` (port 0 unless given) or `rtu` on `path`. */
export async function startSimulator(
  options:
    | { transport: 'tcp'; port?: number; units?: number[]; size?: number }
    | { transport: 'rtu'; path: string; baud?: number; units?: number[]; size?: number },
): Promise<Simulator> {
  const args = [
    SCRIPT,
    options.transport,
    '--units',
    (options.units ?? [1]).join(','),
    '--size',
    String(options.size ?? 10000),
  ];
  if (options.transport === 'tcp') args.push('--port', String(options.port ?? 0));
  else args.push('--path', options.path, '--baud', String(options.baud ?? 9600));
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let buffer = '';
  const waiting: Array<{ resolve(text: string): void; reject(error: Error): void }> = [];
  let ready!: (port: number) => void;
  let failed!: (error: Error) => void;
  const listening = new Promise<number>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    failed(new Error(`modbus-server exited with ${code} before listening:\n${output}`));
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('modbus-server exited'));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-8000)));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-8000);
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      const listen = /^LISTENING (tcp|rtu) (\S+)/.exec(line);
      if (listen) ready(listen[1] === 'tcp' ? Number(listen[2]) : 0);
      else if (line.startsWith('OK')) waiting.shift()?.resolve(line.slice(2).trim());
      else if (line.startsWith('ERR')) waiting.shift()?.reject(new Error(line));
    }
  });
  const port = await listening;
  const command = (line: string): Promise<string> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin!.write(`${line}\n`);
    });
  return {
    port,
    process: child,
    command,
    async get(unit, table, address, count) {
      return (await command(`get ${unit} ${table} ${address} ${count}`)).split(' ').map(Number);
    },
    async set(unit, table, address, values) {
      await command(`set ${unit} ${table} ${address} ${values.join(' ')}`);
    },
    async requests() {
      return Number(await command('requests'));
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    output: () => output,
  };
}

/** A socat pty pair: the driver opens `a`, the server `b`. */
export interface PtyPair {
  readonly a: string;
  readonly b: string;
  close(): Promise<void>;
}

/** Start `socat pty,raw,echo=0,link=<dir>/a pty,raw,echo=0,link=<dir>/b` and wait for both links. */
export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'weble-modbus-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  socat.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  await waitUntil(() => /starting data transfer loop/.test(log) && existsSync(a) && existsSync(b), {
    timeoutMs: 5000,
    what: `socat ptys (${log})`,
  });
  return {
    a,
    b,
    async close() {
      if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
