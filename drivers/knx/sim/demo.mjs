#!/usr/bin/env node
// A simulated KNX installation for demos: Debian's knxd as the KNXnet/IP tunnelling server (no
// real line: it routes telegrams between its clients) and, as bus devices through knxd's local
// socket with knxtool, two switching actuators and a room thermostat:
//
//   1/0/1 hall light switch      -> status 1/0/2     (DPT 1.001, the actuator echoes the state)
//   1/0/3 kitchen light switch   -> status 1/0/4
//   3/1/0 room temperature       (DPT 9.001, sent every --interval ms, a slow sine 20..23 °C)
//   3/1/1 setpoint               (DPT 9.001, kept; reads answered)
//
// Reads (GroupValue_Read) of these addresses are answered. knxtool 0.14.54 cannot send a
// GroupValue_Response with data bytes ("Open failed"), so 2-byte answers go out as
// GroupValue_Write, which the Weble driver takes as an answer too.
//
//   node drivers/knx/sim/demo.mjs [--port 3671] [--dir /tmp/weble-knx] [--interval 5000]
//
// Prints `knx-sim ready: knxd on udp <port>, socket <dir>/knx.sock` and runs until SIGTERM/SIGINT.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(option('port', '3671'));
const dir = option('dir', '/tmp/weble-knx');
const intervalMs = Number(option('interval', '5000'));
mkdirSync(dir, { recursive: true });
const socket = join(dir, 'knx.sock');
rmSync(socket, { force: true });
const url = `local:${socket}`;

/** DPT 9 bytes of `value` as knxtool arguments (smallest exponent whose mantissa fits). */
function dpt9(value) {
  let exponent = 0;
  let mantissa = Math.round(value * 100);
  while ((mantissa < -2048 || mantissa > 2047) && exponent < 15) mantissa = Math.round((value * 100) / 2 ** ++exponent);
  const m = mantissa & 0x0fff;
  const high = (m & 0x800 ? 0x80 : 0) | (exponent << 3) | ((m >> 8) & 0x07);
  return [high, m & 0xff].map((b) => b.toString(16).padStart(2, '0'));
}

const children = [];
const knxd = spawn(
  'knxd',
  ['-e', '0.0.1', '-E', '0.0.2:20', '-u', socket, '-T', '-S', `224.0.23.12:${port}`, '-b', 'dummy:'],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
children.push(knxd);
let stopping = false;
const stop = (code) => {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
knxd.on('exit', (code) => {
  if (!stopping) {
    process.stderr.write(`knx-sim: knxd exited (${code})\n`);
    stop(1);
  }
});
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

// Sends go one after the other (knxtool opens a connection per telegram).
let chain = Promise.resolve();
const tool = (...toolArgs) => {
  chain = chain.then(
    () =>
      new Promise((resolve) => {
        execFile('knxtool', [toolArgs[0], url, ...toolArgs.slice(1)], { timeout: 5_000 }, (error) => {
          if (error && !stopping) process.stderr.write(`knx-sim: knxtool ${toolArgs.join(' ')}: ${error.message}\n`);
          resolve();
        });
      }),
  );
  return chain;
};

const state = { '1/0/2': 0, '1/0/4': 0, '3/1/1': 21 };
const SWITCHES = { '1/0/1': '1/0/2', '1/0/3': '1/0/4' };
const started = Date.now();
const temperature = () =>
  Math.round((21.5 + 1.5 * Math.sin(((Date.now() - started) / 600_000) * 2 * Math.PI)) * 100) / 100;

const deadline = Date.now() + 10_000;
while (!existsSync(socket)) {
  if (Date.now() > deadline || knxd.exitCode !== null) {
    process.stderr.write('knx-sim: knxd did not open its socket\n');
    stop(1);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

if (!stopping) {
  const monitor = spawn('knxtool', ['vbusmonitor1', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(monitor);
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    const match = /to (\S+) .*A_GroupValue_(Write|Read)( \(small\))?((?: [0-9A-F]{2})*)/.exec(line);
    if (!match) return;
    const [, ga, kind, , data] = match;
    const bytes = data
      .trim()
      .split(' ')
      .filter(Boolean)
      .map((b) => parseInt(b, 16));
    if (kind === 'Write' && SWITCHES[ga] !== undefined) {
      state[SWITCHES[ga]] = bytes[0] & 1;
      void tool('groupswrite', SWITCHES[ga], String(state[SWITCHES[ga]]));
    } else if (kind === 'Write' && ga === '3/1/1' && bytes.length === 2) {
      const high = bytes[0];
      let mantissa = ((high & 0x07) << 8) | bytes[1];
      if (high & 0x80) mantissa -= 2048;
      state['3/1/1'] = (mantissa * 2 ** ((high >> 3) & 0x0f)) / 100;
    } else if (kind === 'Read') {
      if (ga === '1/0/2' || ga === '1/0/4') void tool('groupsresponse', ga, String(state[ga]));
      else if (ga === '3/1/0') void tool('groupwrite', '3/1/0', ...dpt9(temperature()));
      else if (ga === '3/1/1') void tool('groupwrite', '3/1/1', ...dpt9(state['3/1/1']));
    }
  });
  const timer = setInterval(() => void tool('groupwrite', '3/1/0', ...dpt9(temperature())), intervalMs);
  knxd.on('exit', () => clearInterval(timer));
  process.on('SIGTERM', () => clearInterval(timer));
  process.on('SIGINT', () => clearInterval(timer));
  await tool('groupwrite', '3/1/0', ...dpt9(temperature()));
  process.stdout.write(`knx-sim ready: knxd on udp ${port}, socket ${socket}\n`);
}
