#!/usr/bin/env node
// Serial driver benchmark (`pnpm --filter @weble/driver-serial bench`, after a build). Three rows:
//   decoder   FrameDecoder alone on a stream of binary frames with CRC-16/Modbus (MB/s, frames/s)
//   lines     unsolicited lines written to a socat pty, through the driver bin, to newValue events
//             at a hub (values/s end to end)
//   requests  sequential request/response reads through the driver and the device simulator over
//             a pty (round trip: mean, p50, p99 ms)
// A pty ignores the baud rate: these are software limits, not a serial line's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { startTestHub, spawnDriver } from '@weble/driver-kit/testing';
import { encodeFrame, FrameDecoder } from '../dist/index.js';
import { startPtyPair } from '../sim/pty-pair.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const DEVICE = fileURLToPath(new URL('../sim/device.mjs', import.meta.url));
const LINES = Number(process.env.BENCH_LINES ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const rows = [];

function decoderBench() {
  const format = {
    start: Uint8Array.of(2),
    end: Uint8Array.of(3),
    length: { size: 1, endian: 'big', adjust: 0 },
    checksum: { type: 'crc16-modbus', endian: 'little', covers: 'after-start', position: 'before-end' },
    maxLength: 256,
  };
  const frames = [];
  for (let i = 0; i < 1000; i++)
    frames.push(encodeFrame(format, Buffer.from([0x10, i >> 8, i & 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9])));
  const stream = Buffer.concat(frames);
  const chunks = [];
  for (let i = 0; i < stream.length; i += 61) chunks.push(stream.subarray(i, i + 61)); // odd chunks, like a UART gives
  const rounds = 200;
  const decoder = new FrameDecoder(format);
  let count = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const chunk of chunks) count += decoder.push(chunk).length;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  rows.push([
    'decoder (frame, CRC-16/Modbus, 61-byte chunks)',
    `${((stream.length * rounds) / s / 1e6).toFixed(1)} MB/s`,
    `${Math.round(count / s).toLocaleString('en')} frames/s`,
  ]);
}

async function withSite(run) {
  const dir = mkdtempSync(join(tmpdir(), 'weble-serial-bench-'));
  const hub = await startTestHub();
  const pair = await startPtyPair(join(dir, 'pty'));
  try {
    await run(hub, pair);
  } finally {
    await pair.stop();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function startDriver(hub, id, config, addresses) {
  const peerName = `driver_serial_${id}`;
  const child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName,
    config: { gateway: { id, type: 'serial', config }, addresses },
    env: { WEBLE_LOG_LEVEL: 'warn' },
  });
  return { child, peerName };
}

async function linesBench() {
  await withSite(async (hub, pair) => {
    const { child, peerName } = startDriver(hub, 1, { path: pair.driver }, [
      { key: 'v', point: { type: 'number', read: { regex: '^V=(?<value>\\d+)$' } } },
    ]);
    await hub.waitForPeer(peerName);
    const driver = await hub.peers(peerName).require('driver');
    let seen = 0;
    let last = -1;
    const done = new Promise((resolve) =>
      driver.on('newValue v', (_k, value) => {
        seen++;
        last = value;
        if (value === LINES - 1) resolve();
      }),
    );
    await driver.status(); // the listener is in place
    const port = new SerialPort({ path: pair.device, baudRate: 115200 });
    await new Promise((resolve, reject) => port.once('open', resolve).once('error', reject));
    const t0 = process.hrtime.bigint();
    const batch = 500;
    for (let i = 0; i < LINES; i += batch) {
      let text = '';
      for (let j = i; j < Math.min(LINES, i + batch); j++) text += `V=${j}\n`;
      await new Promise((resolve) => port.write(text, () => port.drain(resolve)));
    }
    await done;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push([
      `lines -> newValue (pty, driver bin, hub; ${LINES} lines)`,
      `${Math.round(seen / s).toLocaleString('en')} values/s`,
      `${seen}/${LINES} delivered, last ${last}`,
    ]);
    await new Promise((resolve) => port.close(resolve));
    child.process.kill('SIGTERM');
    await child.exited;
  });
}

async function requestsBench() {
  await withSite(async (hub, pair) => {
    const device = spawn(process.execPath, [DEVICE, '--path', pair.device, '--interval', '3600000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => device.stdout.once('data', resolve));
    const point = { type: 'number', poll: { command: 'READ SP\\n', reply: { regex: '^SP=(?<value>.+)$' } } };
    const { child, peerName } = startDriver(hub, 2, { path: pair.driver, pollMs: 86_400_000 }, [{ key: 'sp', point }]);
    await hub.waitForPeer(peerName);
    const driver = await hub.peers(peerName).require('driver');
    for (let i = 0; i < 20; i++) await driver.read('sp'); // warm up
    const times = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = process.hrtime.bigint();
      await driver.read('sp');
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    rows.push([
      `request/response read (mesh call + pty + simulator; ${REQUESTS} sequential)`,
      `${mean.toFixed(2)} ms mean`,
      `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`,
    ]);
    child.process.kill('SIGTERM');
    await child.exited;
    device.kill('SIGTERM');
  });
}

decoderBench();
await linesBench();
await requestsBench();
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`| ${'what'.padEnd(width)} | rate | detail |`);
console.log(`|${'-'.repeat(width + 2)}|---|---|`);
for (const [what, rate, detail] of rows) console.log(`| ${what.padEnd(width)} | ${rate} | ${detail} |`);
