#!/usr/bin/env node
// Frame codec benchmark (`node bench/frame-codec-bench.mjs`, after a build): the pure codec alone,
// no port. Rows: the `frame` shorthand decoder (02 len payload CRC-16/Modbus 03, the stream of the
// main bench), the STX/ETX instrument layout with address and command fields, the length-prefixed
// little-endian meter, whole Modbus-ASCII-like LRC lines (parseFrame), and building requests.
// `BENCH_OLD_CODEC=<file.mjs>` adds the decoder of an older build (its FrameDecoder/encodeFrame) on
// the same stream, for a before/after comparison. The floor row (stx-floor.mjs) is a decoder written
// by hand for the STX/ETX shape alone, measured on the same stream: the layout row says its ratio.
import {
  buildFrame,
  encodeFrame,
  FrameDecoder,
  framingSchema,
  layoutOf,
  LayoutDecoder,
  parseFrame,
} from '../dist/index.js';
import { StxFloorDecoder } from './stx-floor.mjs';

const rows = [];
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const rate = (bytes, s) => `${(bytes / s / 1e6).toFixed(1)} MB/s`;
const perSecond = (n, s, what) => `${Math.round(n / s).toLocaleString('en')} ${what}/s`;

/** 1000 frames cut in 61-byte chunks (odd chunks, like a UART gives), decoded `rounds` times. */
function streamBench(name, frames, makeDecoder, rounds = 200) {
  const stream = Buffer.concat(frames);
  const chunks = [];
  for (let i = 0; i < stream.length; i += 61) chunks.push(stream.subarray(i, i + 61));
  const decoder = makeDecoder();
  for (const chunk of chunks) decoder.push(chunk); // warm up
  let count = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const chunk of chunks) count += decoder.push(chunk).length;
  const s = seconds(t0);
  rows.push([name, rate(stream.length * rounds, s), perSecond(count, s, 'frames')]);
  return count / s;
}

const SHORTHAND = {
  start: Uint8Array.of(2),
  end: Uint8Array.of(3),
  length: { size: 1, endian: 'big', adjust: 0 },
  checksum: { type: 'crc16-modbus', endian: 'little', covers: 'after-start', position: 'before-end' },
  maxLength: 256,
};
const payload = (i) => Buffer.from([0x10, i >> 8, i & 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const shorthandFrames = Array.from({ length: 1000 }, (_, i) => encodeFrame(SHORTHAND, payload(i)));
streamBench('frame shorthand (02 len payload CRC-16/Modbus 03)', shorthandFrames, () => new FrameDecoder(SHORTHAND));
if (process.env.BENCH_OLD_CODEC) {
  const old = await import(process.env.BENCH_OLD_CODEC);
  streamBench('  the same, decoder before layouts', shorthandFrames, () => new old.FrameDecoder(SHORTHAND));
}

const layout = (framing) => layoutOf(framingSchema.parse(framing));
const STX = layout({
  type: 'frame',
  maxLength: 256,
  layout: [
    { fixed: '02' },
    { field: 'address', value: 1, echo: true },
    { field: 'command' },
    { length: { size: 1 } },
    'payload',
    { checksum: { type: 'crc16-modbus', from: 'address', to: 'payload' } },
    { fixed: '03' },
  ],
});
const stxFrames = Array.from({ length: 1000 }, (_, i) => buildFrame(STX, { command: 1 }, payload(i)));
const floorRate = streamBench(
  'floor: a decoder hand-written for the STX/ETX shape only (stx-floor.mjs)',
  stxFrames,
  () => new StxFloorDecoder(),
);
const stxRate = streamBench(
  'STX/ETX layout (address, command, length, CRC over address..payload)',
  stxFrames,
  () => new LayoutDecoder(STX),
);
rows.at(-1)[2] += ` (${(stxRate / floorRate).toFixed(2)}x the floor)`;

const METER = layout({
  type: 'frame',
  maxLength: 256,
  layout: [
    { fixed: 'aa 55' },
    { length: { size: 2, endian: 'little', counts: { from: 'address', to: 'payload' } } },
    { field: 'address', size: 2, endian: 'little', value: 0x1234 },
    { field: 'command' },
    'payload',
    { checksum: { type: 'crc16-modbus' } },
  ],
});
streamBench(
  'meter layout (aa 55, u16le length, u16le address, CRC)',
  Array.from({ length: 1000 }, (_, i) => buildFrame(METER, { command: 1 }, payload(i))),
  () => new LayoutDecoder(METER),
);

const LRC = layout({
  type: 'delimiter',
  delimiter: '\\r\\n',
  hex: true,
  layout: [
    { fixed: '3a' },
    { field: 'address', value: 1 },
    { field: 'function' },
    'payload',
    { checksum: { type: 'lrc' } },
  ],
});
{
  const lines = Array.from({ length: 1000 }, (_, i) => buildFrame(LRC, { function: 3 }, payload(i)));
  const rounds = 200;
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++)
    for (const line of lines) bytes += parseFrame(LRC, line).payload.length >= 0 ? line.length : 0;
  const s = seconds(t0);
  rows.push([
    'LRC lines, whole (parseFrame, hex digits, LRC)',
    rate(bytes, s),
    perSecond(lines.length * rounds, s, 'lines'),
  ]);
}
{
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) buildFrame(STX, { command: 6 }, payload(i & 0xffff));
  rows.push(['building STX requests (buildFrame)', '', perSecond(n, seconds(t0), 'frames')]);
}

const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['what', 'rate', 'detail'][c].length));
const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
process.stdout.write(
  `${[line(['what', 'rate', 'detail']), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`,
);
