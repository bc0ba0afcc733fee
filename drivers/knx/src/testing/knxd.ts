/**
 * Debian's knxd as the KNXnet/IP tunnelling server of a test, and knxtool as an independent bus
 * client over knxd's local socket. knxd is started on a free UDP port in a temp dir (it binds
 * 0.0.0.0:PORT and serves UDP tunnelling only; no real line: `-b dummy:`, it routes telegrams
 * between its clients) and stopped by `stop()`. Readiness is waited for, never slept.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { waitUntil } from '@weble/driver-kit/testing';
import type { Netns } from './netns.js';

const run = promisify(execFile);

/** A UDP port nobody uses now (bound on 0.0.0.0 and released). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.bind(0, '0.0.0.0', resolve).once('error', reject));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** A running knxd. */
export class Knxd {
  private child: ChildProcess | undefined;
  output = '';
  readonly socket: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly routingIn: Netns | undefined,
  ) {
    this.socket = join(dir, 'knx.sock');
  }

  /**
   * Start knxd on a free port: a tunnelling server (`-T`), or with `routing` a KNXnet/IP router
   * (`-R`) in that network namespace, on the multicast group 224.0.23.12 and the same port.
   */
  static async start(routing?: Netns): Promise<Knxd> {
    const knxd = new Knxd(mkdtempSync(join(tmpdir(), 'weble-knxd-')), await freeUdpPort(), routing);
    await knxd.restart();
    return knxd;
  }

  /** `local:<socket>`, knxtool's URL of this knxd. */
  get url(): string {
    return `local:${this.socket}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Start (again) on the same port and socket; resolves when the local socket answers. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('knxd is running');
    rmSync(this.socket, { force: true });
    const args = [
      '-e',
      '0.0.1',
      '-E',
      '0.0.2:20',
      '-u',
      this.socket,
      this.routingIn ? '-R' : '-T',
      '-S',
      `224.0.23.12:${this.port}`,
      '-b',
      'dummy:',
    ];
    const [command, commandArgs] = this.routingIn ? this.routingIn.exec('knxd', ...args) : ['knxd', args];
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => void (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => void (this.output += chunk.toString()));
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitUntil(() => existsSync(this.socket) || this.child !== child, { timeoutMs: 5_000, what: 'knxd socket' });
    if (this.child !== child) throw new Error(`knxd exited at start: ${this.output}`);
    // The socket file exists once knxd listens on it; one knxtool round trip proves it answers.
    await this.tool('groupswrite', '31/7/255', '0');
  }

  /** SIGTERM (knxd sends no DISCONNECT_REQUEST to tunnel clients) and wait for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Run `knxtool <command> local:<socket> ...args`; resolves with its stdout. */
  async tool(command: string, ...args: string[]): Promise<string> {
    const { stdout } = await run('knxtool', [command, this.url, ...args], { timeout: 5_000 });
    return stdout;
  }

  /** Watch every telegram with `knxtool vbusmonitor1`; resolves once the monitor is attached. */
  async monitor(): Promise<BusMonitor> {
    const monitor = new BusMonitor(spawn('knxtool', ['vbusmonitor1', this.url], { stdio: ['ignore', 'pipe', 'pipe'] }));
    // The monitor is attached when it sees a telegram sent after it started.
    await waitUntil(() => monitor.child.pid !== undefined, { what: 'knxtool vbusmonitor1 to start' });
    const probe = async (): Promise<boolean> => {
      await this.tool('groupswrite', '31/7/254', '1');
      return monitor.telegrams.some((t) => t.destination === '31/7/254');
    };
    const deadline = Date.now() + 5_000;
    while (!(await probe())) if (Date.now() > deadline) throw new Error('vbusmonitor1 saw nothing');
    return monitor;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A telegram as `vbusmonitor1` prints it. */
export interface MonitoredTelegram {
  readonly at: number;
  readonly source: string;
  readonly destination: string;
  readonly kind: 'Write' | 'Read' | 'Response';
  /** True for a value in the APCI ("(small)"). */
  readonly small: boolean;
  /** Data bytes as hex, upper case without spaces (`0C33`). */
  readonly data: string;
}

const LINE = /from (\S+) to (\S+) .*A_GroupValue_(Write|Read|Response)( \(small\))?((?: [0-9A-F]{2})*)/;

/** Parse a `vbusmonitor1` line (undefined for other lines). */
export function parseMonitorLine(line: string, at = Date.now()): MonitoredTelegram | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  return {
    at,
    source: match[1]!,
    destination: match[2]!,
    kind: match[3] as MonitoredTelegram['kind'],
    small: match[4] !== undefined,
    data: (match[5] ?? '').replace(/ /g, ''),
  };
}

/** `knxtool vbusmonitor1` as a list of telegrams. */
export class BusMonitor {
  readonly telegrams: MonitoredTelegram[] = [];
  private readonly listeners = new Set<(telegram: MonitoredTelegram) => void>();

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const telegram = parseMonitorLine(line, performance.now());
      if (!telegram) return;
      this.telegrams.push(telegram);
      for (const listener of this.listeners) listener(telegram);
    });
  }

  /** Call `listener` with every telegram from now on (a responder in a test). */
  onTelegram(listener: (telegram: MonitoredTelegram) => void): void {
    this.listeners.add(listener);
  }

  /** Telegrams to `destination` (optionally of one kind). */
  to(destination: string, kind?: MonitoredTelegram['kind']): MonitoredTelegram[] {
    return this.telegrams.filter((t) => t.destination === destination && (kind === undefined || t.kind === kind));
  }

  /** Wait for `count` telegrams to `destination` of `kind`. */
  async waitFor(
    destination: string,
    kind: MonitoredTelegram['kind'],
    count = 1,
    timeoutMs = 5_000,
  ): Promise<MonitoredTelegram[]> {
    await waitUntil(() => this.to(destination, kind).length >= count, {
      timeoutMs,
      what: `${count} GroupValue_${kind} to ${destination} on the bus`,
    });
    return this.to(destination, kind);
  }

  close(): void {
    this.child.kill();
  }
}
