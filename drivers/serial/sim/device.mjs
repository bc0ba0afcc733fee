#!/usr/bin/env node
// A serial device simulator for tests and demos: opens its end of a pty pair (or any serial port)
// with serialport, prints unsolicited values that change over time, and answers commands.
//
//   node sim/device.mjs --path <port> [--mode text|binary] [--interval ms] [--control]
//
// text mode (lines ending "\n"; "\r" before it is ignored):
//   every --interval ms prints  TEMP=<t>           (t moves between 18.0 and 24.9, one decimal)
//   READ T -> T=<t>    READ SP -> SP=<sp>    SET <n> -> OK <n> (sp = n) | ERR bad value
//   (SET above 1000 -> ERR -222,"Data out of range", the SCPI refusal, quotes and all)
//   RELAY ON|OFF|1|0 -> OK RELAY <ON|OFF>      anything else -> ERR unknown command
// binary mode (frames 02 <len> <payload> <crc16-modbus lo hi over len+payload> 03):
//   every --interval ms sends payload 10 <int16be t*10>
//   01 <reg>          -> 81 <reg> <int16be value>   (reg 1: t*10, reg 2: sp*10)
//   06 <reg> <int16>  -> 86 <reg> <int16>           (reg 2 sets sp)
//   a frame with a bad CRC is ignored, like a real device would.
// --control: JSON lines on stdin drive it ({"temp":21.5} {"mute":true} {"send":"02 01 ff"}
// {"line":"T=1"} {"interval":100}); it exits when stdin ends. Events go to stdout as JSON lines:
// {"event":"ready"}, {"event":"received","text":...,"hex":...}, {"event":"closed"}.
import { SerialPort } from 'serialport';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const path = option('path');
const mode = option('mode', 'text');
let interval = Number(option('interval', '1000'));
const control = args.includes('--control');
if (!path || !['text', 'binary'].includes(mode) || !(interval > 0)) {
  process.stderr.write('usage: device.mjs --path <port> [--mode text|binary] [--interval ms] [--control]\n');
  process.exit(2);
}

const state = { temp: 21.5, sp: 20, relay: false, muted: false, tick: 0 };
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

function crc16Modbus(bytes) {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function frame(payload) {
  const body = Buffer.concat([Buffer.from([payload.length]), payload]);
  const crc = crc16Modbus(body);
  return Buffer.concat([Buffer.from([0x02]), body, Buffer.from([crc & 0xff, crc >> 8, 0x03])]);
}

function int16(value) {
  const b = Buffer.alloc(2);
  b.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(value))));
  return b;
}

const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
const send = (bytes) => port.write(bytes);
const say = (line) => send(Buffer.from(`${line}\r\n`));

function answerText(line) {
  const [word, arg] = line.trim().split(/\s+/, 2);
  if (word === 'READ' && arg === 'T') return `T=${state.temp.toFixed(1)}`;
  if (word === 'READ' && arg === 'SP') return `SP=${state.sp}`;
  if (word === 'SET') {
    const n = Number(arg);
    if (arg === undefined || !Number.isFinite(n)) return 'ERR bad value';
    if (n > 1000) return 'ERR -222,"Data out of range"';
    state.sp = n;
    return `OK ${n}`;
  }
  if (word === 'RELAY' && ['ON', 'OFF', '1', '0'].includes(arg ?? '')) {
    state.relay = arg === 'ON' || arg === '1';
    return `OK RELAY ${state.relay ? 'ON' : 'OFF'}`;
  }
  return 'ERR unknown command';
}

function answerBinary(payload) {
  const [fn, reg] = payload;
  if (fn === 0x01 && (reg === 1 || reg === 2))
    return Buffer.concat([Buffer.from([0x81, reg]), int16((reg === 1 ? state.temp : state.sp) * 10)]);
  if (fn === 0x06 && reg === 2 && payload.length >= 4) {
    state.sp = payload.readInt16BE(2) / 10;
    return Buffer.concat([Buffer.from([0x86, reg]), payload.subarray(2, 4)]);
  }
  return Buffer.from([0x80 | (fn ?? 0), 0xff]);
}

// Incoming bytes: lines in text mode, CRC-checked frames in binary mode.
let pending = Buffer.alloc(0);
function onData(chunk) {
  pending = Buffer.concat([pending, chunk]);
  if (mode === 'text') {
    let nl;
    while ((nl = pending.indexOf(0x0a)) >= 0) {
      const text = pending.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      pending = pending.subarray(nl + 1);
      emit({ event: 'received', text, hex: Buffer.from(text, 'latin1').toString('hex') });
      if (!state.muted) say(answerText(text));
    }
    return;
  }
  for (;;) {
    const start = pending.indexOf(0x02);
    if (start < 0) return void (pending = Buffer.alloc(0));
    pending = pending.subarray(start);
    if (pending.length < 2) return;
    const total = 2 + pending[1] + 3;
    if (pending.length < total) return;
    const body = pending.subarray(1, 2 + pending[1]);
    const crc = pending.readUInt16LE(2 + pending[1]);
    const good = crc === crc16Modbus(body) && pending[total - 1] === 0x03;
    const payload = Buffer.from(body.subarray(1));
    pending = good ? pending.subarray(total) : pending.subarray(1);
    if (!good) continue;
    emit({ event: 'received', hex: payload.toString('hex') });
    if (!state.muted) send(frame(answerBinary(payload)));
  }
}

let timer;
function tick() {
  state.tick++;
  state.temp = Math.round((18 + ((state.tick * 7) % 70) / 10) * 10) / 10;
  if (!state.muted)
    mode === 'text'
      ? say(`TEMP=${state.temp.toFixed(1)}`)
      : send(frame(Buffer.concat([Buffer.from([0x10]), int16(state.temp * 10)])));
  timer = setTimeout(tick, interval);
}

function stop(code) {
  clearTimeout(timer);
  if (port.isOpen) port.close(() => process.exit(code));
  else process.exit(code);
}

port.on('data', onData);
port.on('close', () => {
  emit({ event: 'closed' });
  stop(0);
});
port.on('error', (error) => process.stderr.write(`device: ${error.message}\n`));
port.open((error) => {
  if (error) {
    process.stderr.write(`device: cannot open ${path}: ${error.message}\n`);
    process.exit(1);
  }
  emit({ event: 'ready', path, mode });
  timer = setTimeout(tick, interval);
});

if (control) {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch {
      return process.stderr.write(`device: bad control line ${line}\n`);
    }
    if (typeof cmd.temp === 'number') state.temp = cmd.temp;
    if (typeof cmd.mute === 'boolean') state.muted = cmd.mute;
    if (typeof cmd.interval === 'number' && cmd.interval > 0) interval = cmd.interval;
    if (typeof cmd.send === 'string') send(Buffer.from(cmd.send.replace(/[^0-9a-f]/gi, ''), 'hex'));
    if (typeof cmd.line === 'string') say(cmd.line);
    emit({ event: 'control', ...cmd });
  });
  lines.on('close', () => stop(0));
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
