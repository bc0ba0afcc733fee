/**
 * The `weble-web` bin as the supervisor will run it: the BUILT dist/cli.js forked with an IPC
 * channel (build before testing), the configuration as the first IPC message, WEBLE_HUB pointing
 * at a `supervision` peer on a UNIX socket in a temp dir. No client bundle is configured, so
 * /auth serves the placeholder that reports it missing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPeers } from '@weble/peers-core';
import { readConnectSource } from '@weble/peers-client';
import { webSessionGrant } from '../src/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { login, silent, tempDir, testUsers, waitFor } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const tmp = tempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  tmp.remove();
});

function start(env: Record<string, string>): {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = fork(CLI, [], {
    env: { ...process.env, WEBLE_LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'ignore', 'pipe', 'ipc'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

describe('weble-web', () => {
  it('joins the hub as webserver, serves /auth from its IPC configuration, and exits 0 on SIGTERM', async () => {
    const hubSocket = join(tmp.dir, 'supervision.sock');
    const supervision = createPeers('supervision', { logger: silent, heartbeatMs: 0, mayAnnounce: webSessionGrant });
    await supervision.listen(hubSocket);
    try {
      const run = start({ WEBLE_HUB: hubSocket });
      const joined = waitFor(supervision, 'connect webserver', () => true, 10_000);
      run.child.send({
        type: 'weble:config',
        http: { port: 0, host: '127.0.0.1', origins: [] },
        users: await testUsers(),
      });
      await joined;
      const listening = await new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const line = run
            .stderr()
            .split('\n')
            .find((l) => l.includes('"listening"'));
          if (line) return resolve((JSON.parse(line) as { url: string }).url);
          if (run.child.exitCode !== null) return reject(new Error(`exited: ${run.stderr()}`));
        };
        run.child.stderr?.on('data', check);
        check();
      });
      const reply = await login(listening, 'admin', 'secret');
      expect(reply.status).toBe(200);
      // Without connectFile it serves the built @weble/peers-client bundle.
      expect(reply.body.connect).toBe(readConnectSource().source);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      await supervision.close();
    }
  });

  it('exits 2 listing every problem of an invalid configuration', async () => {
    const run = start({ WEBLE_HUB: join(tmp.dir, 'none.sock') });
    run.child.send({ type: 'weble:config', http: { port: 'x' }, users: [{ username: 'a', passwordHash: 'plain' }] });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('http.port');
    expect(run.stderr()).toContain('users[0].passwordHash');
  });
});
