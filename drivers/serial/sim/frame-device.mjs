#!/usr/bin/env node
// Simulated binary instruments for tests and demos, one protocol per process, several addresses on
// one line (RS-485 multi-drop). Written apart from the driver: its own framing, CRC and LRC code.
//
//   node sim/frame-device.mjs --path <port> --protocol stx|lrc|meter [--addresses 1,2] [--control]
//
// stx   (an STX/ETX instrument): 02 addr cmd len payload crc16-modbus(addr..payload, lo hi) 03
//         cmd 01 <reg>          -> 01 <reg> <int16be>     (reg 1 temperature x10, reg 2 setpoint x10)
//         cmd 06 <reg> <int16be> -> 06 <reg> <int16be>    (setpoint; above 1000: 86 <reg> 02, refused)
// lrc   (Modbus-ASCII-like): ":" addr fn data LRC as upper-case hex digits, then CR LF
//         fn 03 <start u16> <count u16> -> 03 <bytes> <u16be>...   fn 06 <reg u16> <u16> -> echo
// meter (length-prefixed, little-endian): aa 55 len(u16le, addr..payload) addr(u16le) cmd payload crc16-modbus(len..payload, lo hi)
//         cmd 01 -> 01 <energy u32le Wh> <power float32le W>; {"push":true} sends cmd 10 with the same payload
// --control: JSON lines on stdin: {"set":{"address":1,"reg":1,"value":234}}, {"mute":true},
//   {"corrupt":"data"|"checksum"|"truncate"|"address"} (the next reply: a bit flipped in the data
//   with the checksum of the original, a damaged checksum, its first half only, or sent from
//   another address with a good checksum), {"corruptAll":"checksum"} (every reply so, until
//   {"corruptAll":null}), {"hold":{"address":1}} (the next reply to that address
//   is held and sent just before the reply to the following request: a late reply), {"send":"hex"},
//   {"push":true}. Events on stdout (JSON lines): ready, received {hex, address, command, payload},
//   sent {hex}, control. It exits when stdin ends.
import { SerialPort } from 'serialport';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const path = option('path');
const protocol = option('protocol', 'stx');
const addresses = option('addresses', protocol === 'meter' ? '4660' : '1')
  .split(',')
  .map(Number);
if (!path || !['stx', 'lrc', 'meter'].includes(protocol)) {
  process.stderr.write(
    'usage: frame-device.mjs --path <port> --protocol stx|lrc|meter [--addresses 1,2] [--control]\n',
  );
  process.exit(2);
}
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

// Registers per address: stx 1 = temperature x10, 2 = setpoint x10; lrc 0..9; meter 1 = energy Wh, 2 = power W.
const registers = new Map(
  addresses.map((a, i) => [
    a,
    new Map([
      [0, 100 + i],
      [1, 215 + i * 10],
      [2, 200 + i * 10],
    ]),
  ]),
);
const state = { muted: false, corrupt: undefined, corruptAll: undefined, hold: undefined, held: undefined };

function crc16Modbus(bytes) {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}
const lrc = (bytes) => (0x100 - (bytes.reduce((s, b) => s + b, 0) & 0xff)) & 0xff;
const u16be = (n) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

/** Each protocol: encode(address, command, payload, how) and a decoder of requests from the byte stream. */
const PROTOCOLS = {
  stx: {
    encode(address, command, payload, corrupt) {
      const body = Buffer.concat([Buffer.from([address, command, payload.length]), payload]);
      const crc = crc16Modbus(body);
      if (corrupt === 'data' && payload.length > 0) body[body.length - 1] ^= 0x01;
      const frame = Buffer.concat([Buffer.from([0x02]), body, Buffer.from([crc & 0xff, crc >> 8, 0x03])]);
      if (corrupt === 'checksum') frame[frame.length - 2] ^= 0x40;
      return frame;
    },
    take(buffer) {
      const start = buffer.indexOf(0x02);
      if (start < 0) return { rest: Buffer.alloc(0) };
      const b = buffer.subarray(start);
      if (b.length < 4) return { rest: b };
      const total = 4 + b[3] + 3;
      if (b.length < total) return { rest: b };
      const good = b.readUInt16LE(4 + b[3]) === crc16Modbus(b.subarray(1, 4 + b[3])) && b[total - 1] === 0x03;
      if (!good) return { rest: b.subarray(1), bad: true };
      return {
        rest: b.subarray(total),
        frame: b.subarray(0, total),
        address: b[1],
        command: b[2],
        payload: Buffer.from(b.subarray(4, 4 + b[3])),
      };
    },
    answer(regs, command, payload) {
      const reg = payload[0];
      if (command === 0x01 && regs.has(reg)) return [0x01, Buffer.concat([Buffer.from([reg]), u16be(regs.get(reg))])];
      if (command === 0x06 && payload.length >= 3) {
        const value = payload.readInt16BE(1);
        if (value > 1000) return [0x86, Buffer.from([reg, 0x02])];
        regs.set(reg, value);
        return [0x06, Buffer.from(payload)];
      }
      return [0x80 | command, Buffer.from([0x01])];
    },
  },
  lrc: {
    encode(address, fn, payload, corrupt) {
      const body = Buffer.concat([Buffer.from([address, fn]), payload]);
      const check = lrc(body);
      if (corrupt === 'data' && payload.length > 0) body[body.length - 1] ^= 0x01;
      const text = `:${body.toString('hex').toUpperCase()}${(corrupt === 'checksum' ? check ^ 0x10 : check).toString(16).padStart(2, '0').toUpperCase()}\r\n`;
      return Buffer.from(text, 'latin1');
    },
    take(buffer) {
      const nl = buffer.indexOf('\r\n');
      if (nl < 0) return { rest: buffer };
      const line = buffer.subarray(0, nl).toString('latin1');
      const rest = buffer.subarray(nl + 2);
      const m = /^:((?:[0-9A-F]{2}){3,})$/.exec(line);
      if (!m) return { rest, bad: true };
      const bytes = Buffer.from(m[1], 'hex');
      if (lrc(bytes.subarray(0, -1)) !== bytes[bytes.length - 1]) return { rest, bad: true };
      return {
        rest,
        frame: buffer.subarray(0, nl + 2),
        address: bytes[0],
        command: bytes[1],
        payload: Buffer.from(bytes.subarray(2, -1)),
      };
    },
    answer(regs, fn, payload) {
      if (fn === 0x03 && payload.length === 4) {
        const start = payload.readUInt16BE(0);
        const count = payload.readUInt16BE(2);
        const values = Array.from({ length: count }, (_, i) => u16be(regs.get(start + i) ?? 0));
        return [0x03, Buffer.concat([Buffer.from([count * 2]), ...values])];
      }
      if (fn === 0x06 && payload.length === 4) {
        regs.set(payload.readUInt16BE(0), payload.readUInt16BE(2));
        return [0x06, Buffer.from(payload)];
      }
      return [0x80 | fn, Buffer.from([0x01])];
    },
  },
  meter: {
    encode(address, command, payload, corrupt) {
      const body = Buffer.alloc(2 + 2 + 1 + payload.length);
      body.writeUInt16LE(2 + 1 + payload.length, 0);
      body.writeUInt16LE(address, 2);
      body[4] = command;
      payload.copy(body, 5);
      const crc = crc16Modbus(body);
      if (corrupt === 'data' && payload.length > 0) body[body.length - 1] ^= 0x01;
      const frame = Buffer.concat([Buffer.from([0xaa, 0x55]), body, Buffer.from([crc & 0xff, crc >> 8])]);
      if (corrupt === 'checksum') frame[frame.length - 1] ^= 0x40;
      return frame;
    },
    take(buffer) {
      const start = buffer.indexOf(Buffer.from([0xaa, 0x55]));
      if (start < 0) return { rest: buffer.subarray(Math.max(0, buffer.length - 1)) };
      const b = buffer.subarray(start);
      if (b.length < 4) return { rest: b };
      const total = 2 + 2 + b.readUInt16LE(2) + 2;
      if (total > 256) return { rest: b.subarray(1), bad: true };
      if (b.length < total) return { rest: b };
      if (b.readUInt16LE(total - 2) !== crc16Modbus(b.subarray(2, total - 2)))
        return { rest: b.subarray(1), bad: true };
      return {
        rest: b.subarray(total),
        frame: b.subarray(0, total),
        address: b.readUInt16LE(4),
        command: b[6],
        payload: Buffer.from(b.subarray(7, total - 2)),
      };
    },
    answer(regs, command) {
      if (command !== 0x01) return [0x80 | command, Buffer.alloc(0)];
      const payload = Buffer.alloc(8);
      payload.writeUInt32LE(regs.get(1), 0);
      payload.writeFloatLE(regs.get(2) / 10, 4);
      return [0x01, payload];
    },
  },
};
const proto = PROTOCOLS[protocol];

const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
const send = (bytes) => {
  emit({ event: 'sent', hex: bytes.toString('hex') });
  port.write(bytes);
};

/** Send a reply, applying a pending corruption or hold. */
function reply(address, command, payload) {
  const corrupt = state.corrupt ?? state.corruptAll;
  state.corrupt = undefined;
  const from = corrupt === 'address' ? (addresses.find((a) => a !== address) ?? address + 1) : address;
  let frame = proto.encode(from, command, payload, corrupt);
  if (corrupt === 'truncate') frame = frame.subarray(0, Math.ceil(frame.length / 2));
  if (state.hold && state.hold.address === address) {
    state.hold = undefined;
    state.held = frame;
    return;
  }
  if (state.held) {
    send(state.held); // the late reply to an earlier request goes first
    state.held = undefined;
  }
  send(frame);
}

let pending = Buffer.alloc(0);
port.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  for (;;) {
    const taken = proto.take(pending);
    pending = taken.rest;
    if (taken.bad) {
      emit({ event: 'bad' });
      continue;
    }
    if (!taken.frame) return;
    const { address, command, payload } = taken;
    emit({ event: 'received', hex: taken.frame.toString('hex'), address, command, payload: payload.toString('hex') });
    const regs = registers.get(address);
    if (!regs || state.muted) continue;
    const [code, data] = proto.answer(regs, command, payload);
    reply(address, code, data);
  }
});

port.on('close', () => process.exit(0));
port.on('error', (error) => process.stderr.write(`frame-device: ${error.message}\n`));
port.open((error) => {
  if (error) {
    process.stderr.write(`frame-device: cannot open ${path}: ${error.message}\n`);
    process.exit(1);
  }
  emit({ event: 'ready', path, protocol, addresses });
});

if (args.includes('--control')) {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch {
      return process.stderr.write(`frame-device: bad control line ${line}\n`);
    }
    if (cmd.set) registers.get(cmd.set.address)?.set(cmd.set.reg, cmd.set.value);
    if (typeof cmd.mute === 'boolean') state.muted = cmd.mute;
    if (typeof cmd.corrupt === 'string') state.corrupt = cmd.corrupt;
    if ('corruptAll' in cmd) state.corruptAll = typeof cmd.corruptAll === 'string' ? cmd.corruptAll : undefined;
    if (cmd.hold) state.hold = cmd.hold;
    if (typeof cmd.send === 'string') send(Buffer.from(cmd.send.replace(/[^0-9a-f]/gi, ''), 'hex'));
    if (cmd.push) {
      const [, payload] = proto.answer(registers.get(addresses[0]), 0x01, Buffer.alloc(0));
      reply(addresses[0], 0x10, payload);
    }
    emit({ event: 'control', ...cmd });
  });
  lines.on('close', () => (port.isOpen ? port.close(() => process.exit(0)) : process.exit(0)));
}
process.on('SIGTERM', () => process.exit(0));
