#!/usr/bin/env node
// A simulated serial device for demos: a socat pty pair plus the device simulator on one end.
// Prints the driver-side path (put it in site.yaml as the gateway's `path`) and runs until Ctrl-C.
//
//   node drivers/serial/sim/demo.mjs [--dir /tmp/weble-serial] [--mode text|binary] [--interval ms]
//
// The paths stay the same across restarts of this script, so a running driver reconnects by itself.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPtyPair } from './pty-pair.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const dir = option('dir', '/tmp/weble-serial');
mkdirSync(dir, { recursive: true });
const pair = await startPtyPair(dir);
const device = spawn(
  process.execPath,
  [
    fileURLToPath(new URL('./device.mjs', import.meta.url)),
    '--path',
    pair.device,
    '--mode',
    option('mode', 'text'),
    '--interval',
    option('interval', '1000'),
  ],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
process.stdout.write(`${pair.driver}\n`);
const stop = async () => {
  device.kill('SIGTERM');
  await pair.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
device.on('exit', () => void pair.stop().then(() => process.exit(1)));
