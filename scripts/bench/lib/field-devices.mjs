/**
 * Simulated field devices for the benchmarks and the soak run, each in its own process: a Modbus
 * TCP server on pymodbus (drivers/modbus/sim/modbus-server.py, driven by line commands on stdin),
 * a BACnet/IP device (drivers/bacnet/dist/sim.js, loopback UDP) and a serial device on a socat pty
 * pair (drivers/serial/sim). Ports are chosen by the OS. Needs /usr/bin/python3 with pymodbus,
 * socat, and the built drivers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPtyPair } from '../../../drivers/serial/sim/pty-pair.mjs';

const drivers = fileURLToPath(new URL('../../../drivers/', import.meta.url));

/** pymodbus over TCP: `{ child, port, command(text) -> reply line, stop() }`. */
export function startModbusSim({ units = '1', size = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/python3',
      [join(drivers, 'modbus/sim/modbus-server.py'), 'tcp', '--units', units, '--size', String(size)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const waiting = [];
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`modbus-server exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        const listen = /^LISTENING tcp (\d+)/.exec(line);
        if (listen) resolve({ child, port: Number(listen[1]), command, stop });
        else waiting.shift()?.(line);
      }
    });
    function command(text) {
      return new Promise((done) => {
        waiting.push(done);
        child.stdin.write(`${text}\n`);
      });
    }
    function stop() {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
    }
  });
}

/** The BACnet simulated device: `{ child, address, port, stop() }`. */
export function startBacnetSim({ instance = 7001, extraObjects = 0, tickMs = 0 } = {}) {
  const args = [
    join(drivers, 'bacnet/dist/sim.js'),
    '--instance',
    String(instance),
    '--port',
    '0',
    '--tick-ms',
    String(tickMs),
    '--extra-objects',
    String(extraObjects),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`bacnet-sim exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /on (\S+)\n/.exec(out);
      if (!match) return;
      child.removeAllListeners('exit');
      resolve({ child, address: match[1], port: Number(match[1].split(':').pop()), stop: () => child.kill('SIGKILL') });
    });
  });
}

/** A serial device (text mode, a reading every `intervalMs`) on a pty pair: `{ path, stop() }` (`path`: the driver's end). */
export async function startSerialSim({ intervalMs = 1_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'weble-bench-serial-'));
  const pair = await startPtyPair(dir);
  const device = spawn(
    process.execPath,
    [join(drivers, 'serial/sim/device.mjs'), '--path', pair.device, '--mode', 'text', '--interval', String(intervalMs)],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  return {
    path: pair.driver,
    async stop() {
      device.kill('SIGKILL');
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
