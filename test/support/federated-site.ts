/**
 * A federated site run the way integrators run it: the built `weble-supervisor start` as a real
 * child process on a site.yaml with a `federation` section (listening on a port from the OS, TLS
 * `auto` unless the section says otherwise) in a temp dir, and a peers client on its hub socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';

const CLI = fileURLToPath(new URL('../../packages/supervisor/dist/cli.js', import.meta.url));
const silent = { debug() {}, warn() {}, error() {} };

export interface FederatedSite {
  name: string;
  dir: string;
  supervisor: ChildProcess;
  /** A peers client on the site's hub socket, `client_<name>`. */
  client: Peers;
  /** The port of its federation listener. */
  port: number;
  /** Everything the supervisor printed so far. */
  output(): string;
  /** Stop the supervisor (unless gone), close the client, remove the dir. */
  close(): Promise<void>;
}

/** Poll a condition (of a process's output or state) until it holds (not undefined or false), failing with `output`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  output: () => string = () => '',
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25)); // poll interval, not a synchronisation sleep
  }
}

/**
 * Start site `name`: `federation` is the rest of its federation section (indented lines: secret,
 * wellKnownPeers, metadata...), `body` more top-level sections (gateways, addresses), `prepare`
 * adds files to its dir first.
 */
export async function startFederatedSite(
  name: string,
  federation: string,
  { body = '', prepare, logLevel }: { body?: string; prepare?: (dir: string) => void; logLevel?: string } = {},
): Promise<FederatedSite> {
  const dir = mkdtempSync(join(tmpdir(), `weble-fed-${name}-`));
  prepare?.(dir);
  writeFileSync(
    join(dir, 'site.yaml'),
    `hub: { socket: ./run/s.sock }
${body}
federation:
  site: ${name}
  listen: { host: 127.0.0.1, port: 0 }
${federation}
`,
  );
  let output = '';
  const args = [CLI, 'start', '--config', join(dir, 'site.yaml'), ...(logLevel ? ['--log-level', logLevel] : [])];
  const supervisor = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const read = (): string => output;
  const port = await until(
    `${name} federation port`,
    () => {
      if (supervisor.exitCode !== null) throw new Error(`${name} exited:\n${output}`);
      const match = /"site":"[a-z0-9-]+","port":(\d+),"msg":"federation up"/.exec(output);
      return match ? Number(match[1]) : undefined;
    },
    read,
  );
  const client = createPeers(`client_${name.replace(/-/g, '_')}`, {
    logger: silent,
    backoff: { initialMs: 20, maxMs: 200 },
  });
  client.connect(join(dir, 'run', 's.sock'));
  await new Promise<void>((resolve) => client.once('connect supervision', () => resolve()));
  return {
    name,
    dir,
    supervisor,
    client,
    port,
    output: read,
    async close(): Promise<void> {
      await client.close();
      if (supervisor.exitCode === null && supervisor.signalCode === null) {
        supervisor.kill('SIGTERM');
        await new Promise((r) => supervisor.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
