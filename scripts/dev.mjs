// `pnpm dev` / `npm run dev`: boots the demo mesh (a hub and two peers exchanging calls and
// events) as real child processes; Ctrl-C stops everything.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runDir = join(here, '..', 'run');
mkdirSync(runDir, { recursive: true });
const socket = join(runDir, 'supervision.sock');
const children = [];

function start(name, file) {
  const child = fork(join(here, 'demo', file), [socket], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) console.log(`dev: ${name} exited (${signal ?? code})`);
  });
  return child;
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\ndev: stopping');
  for (const child of [...children].reverse()) child.kill('SIGTERM');
  const force = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 3000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const hub = start('hub', 'hub.mjs');
hub.once('message', () => {
  start('sensor', 'sensor.mjs');
  start('display', 'display.mjs');
});
console.log(`dev: demo mesh starting on ${socket} (Ctrl-C to stop)`);
