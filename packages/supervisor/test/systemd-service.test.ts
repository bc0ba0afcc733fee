/**
 * The supervisor as a systemd service, run for real (the built CLI as a child process) with what
 * systemd would give it, all faked by this test since PID 1 here is not systemd: NOTIFY_SOCKET (a
 * UNIX datagram socket the test binds), WATCHDOG_USEC, RUNTIME/STATE/LOGS_DIRECTORY, and a
 * JOURNAL_STREAM naming its stdout (a file) with journald's stream socket replaced by one the test
 * listens on. Checks READY=1 only once every process is up, WATCHDOG=1 heartbeats, STOPPING=1 on
 * SIGTERM, children without the notify variables, the directories used, each child's output in
 * its own journal stream with priorities, and children stopped in parallel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DgramSocket } from 'node-unix-socket';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const LOGIC_KIT = pathToFileURL(fileURLToPath(new URL('../../logic/dist/index.js', import.meta.url))).href;
const dirs = tempDirs();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(() => dirs.cleanup());

/**
 * A logic that says hello on stdout and stderr, and on SIGTERM does not exit: it marks that it
 * got the signal and waits for the other logic's mark (it sees it only if both were told at once),
 * until the supervisor's SIGKILL.
 */
const stubbornLogic = (me: string, other: string): string => `
import { existsSync, writeFileSync } from 'node:fs';
import { runLogic } from '${LOGIC_KIT}';
runLogic(async () => {
  console.log('hello from ${me} on stdout');
  console.error('trouble from ${me} on stderr');
});
process.removeAllListeners('SIGTERM');
process.on('SIGTERM', () => {
  writeFileSync('${me}.term', String(process.pid));
  const look = setInterval(() => {
    if (existsSync('${other}.term')) { writeFileSync('${me}.saw', '${other}'); clearInterval(look); }
  }, 20);
});
`;

const SITE = `gateways:
  - { id: 1, type: virtual, name: boiler, config: {} }
  - { id: 2, type: virtual, name: hall, config: {} }
logics:
  - { name: first, file: ./first.mjs }
  - { name: second, file: ./second.mjs }
supervision: { stopTimeoutMs: 4000 }
`;

interface Datagram {
  text: string;
  at: number;
}

function until<T>(what: string, probe: () => T | undefined, ms: number, context: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = (): void => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error(`${what}: not within ${ms} ms\n${context()}`));
      setTimeout(look, 25);
    };
    look();
  });
}

/** Run the CLI against the running site; its stdout, or throw with its exit code and stderr. */
async function cli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`weble-supervisor ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

describe('weble-supervisor start under systemd', () => {
  it('notifies READY=1 once the site is up, beats the watchdog, says STOPPING=1, logs to the journal by process, stops children in parallel', async () => {
    const dir = await dirs.make({
      'site.yaml': SITE,
      'first.mjs': stubbornLogic('first', 'second'),
      'second.mjs': stubbornLogic('second', 'first'),
    });
    const runtime = join(dir, 'runtime');
    const state = join(dir, 'state');
    const logs = join(dir, 'logs');

    // NOTIFY_SOCKET: every datagram with when it came.
    const datagrams: Datagram[] = [];
    const notify = new DgramSocket();
    notify.bind(join(dir, 'notify.sock'));
    notify.on('data', (data: Buffer) => datagrams.push({ text: data.toString(), at: Date.now() }));
    cleanups.push(() => notify.close());

    // journald's stream socket: each connection's text.
    const streams: string[] = [];
    const journal: Server = createServer((connection) => {
      const index = streams.push('') - 1;
      connection.on('data', (chunk: Buffer) => (streams[index] += chunk.toString()));
    });
    await new Promise<void>((resolve) => journal.listen(join(dir, 'journal.sock'), resolve));
    cleanups.push(() => journal.close());

    // The supervisor's stdout is a file; JOURNAL_STREAM names it, as systemd names the journal stream.
    const out = openSync(join(dir, 'stdout.log'), 'w');
    const stat = fstatSync(out, { bigint: true });
    const env = {
      ...process.env,
      NOTIFY_SOCKET: join(dir, 'notify.sock'),
      WATCHDOG_USEC: '300000',
      RUNTIME_DIRECTORY: runtime,
      STATE_DIRECTORY: state,
      LOGS_DIRECTORY: logs,
      JOURNAL_STREAM: `${stat.dev}:${stat.ino}`,
      WEBLE_JOURNAL_SOCKET: join(dir, 'journal.sock'),
    };
    const supervisor: ChildProcess = spawn(process.execPath, [CLI, 'start', '--config', join(dir, 'site.yaml')], {
      cwd: dir,
      env,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    cleanups.push(() => supervisor.exitCode === null && supervisor.signalCode === null && supervisor.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => supervisor.on('exit', resolve));
    const context = (): string =>
      `datagrams: ${JSON.stringify(datagrams.map((d) => d.text))}\nstdout: ${readFileSync(join(dir, 'stdout.log'), 'utf8').slice(-3000)}`;
    const ready = (): Datagram | undefined => datagrams.find((d) => d.text.split('\n').includes('READY=1'));

    // READY=1 comes once everything is up: asked right after it, every process says up.
    const readyAt = await until('READY=1', ready, 20_000, context);
    expect(readyAt.text).toMatch(/STATUS=site up: 2 gateway\(s\)/);
    const socket = join(runtime, 'supervision.sock');
    const processes = JSON.parse(await cli(['status', '--json', '--socket', socket])) as Array<{
      name: string;
      state: string;
      pid: number | null;
    }>;
    expect(processes.map((p) => p.name).sort()).toEqual([
      'driver_virtual_1',
      'driver_virtual_2',
      'logic_first',
      'logic_second',
    ]);
    expect(processes.filter((p) => p.state !== 'up')).toEqual([]);

    // The children cannot speak for the service: the notify variables are not in their environment.
    const driverPid = processes.find((p) => p.name === 'driver_virtual_1')!.pid!;
    const childEnv = readFileSync(`/proc/${driverPid}/environ`, 'utf8').split('\0');
    expect(childEnv.filter((v) => /^(NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID)=/.test(v))).toEqual([]);

    // The directories systemd gives: socket in the runtime one, logs in the logs one, the audit trail in the state one.
    expect(readdirSync(logs)).toEqual(
      expect.arrayContaining(['driver_virtual_1.log', 'logic_first.log', 'supervisor.log']),
    );
    await cli(['restart', 'driver_virtual_2', '--socket', socket]); // audited
    expect(existsSync(join(state, 'audit', 'audit.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'run'))).toBe(false);

    // Heartbeats every half of WATCHDOG_USEC (150 ms): three more after READY.
    await until(
      '3 WATCHDOG=1 after READY=1',
      () => (datagrams.filter((d) => d.text === 'WATCHDOG=1' && d.at >= readyAt.at).length >= 3 ? true : undefined),
      10_000,
      context,
    );

    // Each child's output is its own journal stream: header (identifier first, level prefix on), then lines with priorities.
    const streamOf = (name: string): string | undefined => streams.find((s) => s.startsWith(`${name}\n`));
    const first = await until(
      'logic_first in the journal',
      () => (streamOf('logic_first')?.includes('trouble from first') ? streamOf('logic_first') : undefined),
      10_000,
      () => JSON.stringify(streams),
    );
    expect(first.split('\n').slice(0, 7)).toEqual(['logic_first', '', '6', '1', '0', '0', '0']);
    expect(first).toContain('<6>hello from first on stdout\n');
    expect(first).toContain('<3>trouble from first on stderr\n');
    // A pino line on stderr keeps its level (info), not the err of plain stderr lines.
    expect(first).toMatch(/^<6>\{"level":30,.*"msg":"joined the mesh"/m);
    expect(streamOf('driver_virtual_2')).toBeDefined();
    expect(readFileSync(join(logs, 'logic_first.log'), 'utf8')).toContain('hello from first on stdout');

    // SIGTERM: STOPPING=1, then both stubborn logics told at once (each saw the other's mark), exit 0.
    supervisor.kill('SIGTERM');
    await until('STOPPING=1', () => datagrams.find((d) => d.text.split('\n').includes('STOPPING=1')), 10_000, context);
    expect(await exited).toBe(0);
    expect(readFileSync(join(dir, 'first.saw'), 'utf8')).toBe('second');
    expect(readFileSync(join(dir, 'second.saw'), 'utf8')).toBe('first');
    expect(existsSync(socket)).toBe(false);
  }, 60_000);
});
