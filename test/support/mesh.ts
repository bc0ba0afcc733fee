/**
 * Starting the processes of a mesh: agents (fixtures/agent.cjs) that listen and/or connect, in a
 * fresh temp dir for UNIX sockets, and a self-signed certificate for TLS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { START_MS, type Child, type Children, type Report } from './children.js';

/** Config of fixtures/agent.cjs. */
export interface AgentConfig {
  name: string;
  hub?: boolean;
  listen?: unknown;
  connect?: unknown;
  connectOptions?: unknown;
  options?: Record<string, unknown>;
}

/** Spawn an agent and wait until it listens (its `ready` report, with the bound port). */
export async function startAgent(
  children: Children,
  config: AgentConfig,
  label = config.name,
): Promise<{ child: Child; ready: Report }> {
  const child = children.spawn(label, 'agent.cjs', config);
  const ready = await child.waitForReport('ready', {}, { timeoutMs: START_MS });
  return { child, ready };
}

/** Wait until `child` reports a connection to each of `names` (from report index `from`). */
export async function connected(child: Child, names: string[], from = 0): Promise<void> {
  await Promise.all(names.map((peer) => child.waitForReport('connect', { peer }, { from })));
}

/** A fresh directory for this file's UNIX sockets; `remove()` in afterAll. */
export function tempDir(): { path: string; socket: (name: string) => string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'weble-e2e-'));
  return {
    path,
    socket: (name) => join(path, `${name}.sock`),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A self-signed certificate for `localhost` and 127.0.0.1 (PEM cert and key). */
export function localhostCertificate(): { cert: string; key: string } {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    days: 1,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
