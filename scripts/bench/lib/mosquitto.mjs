// Debian's mosquitto for a benchmark: a free loopback port, its own config and persistence in a temp
// dir, stopped (SIGTERM, it saves its persistence) and started again on the same port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Start mosquitto; returns { url, port, pid(), stop(), start(), close() }. */
export async function startMosquitto() {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-mqtt-'));
  const port = await freePort();
  const file = join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'max_queued_messages 0',
    'log_dest stderr',
    'log_type error',
    'log_type information',
  ];
  if (process.getuid?.() === 0) lines.push('user root');
  writeFileSync(file, `${lines.join('\n')}\n`);
  let child;
  const start = () =>
    new Promise((resolve, reject) => {
      child = spawn(BINARY, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let output = '';
      const timer = setTimeout(() => reject(new Error(`mosquitto did not start:\n${output}`)), 10_000);
      child.stderr.on('data', (c) => {
        output += c;
        if (/mosquitto version \S+ running/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}:\n${output}`)));
    });
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    start,
    stop,
    close: async () => (await stop(), rmSync(dir, { recursive: true, force: true })),
  };
}
