/**
 * Codec benchmark: the mesh's MessagePack codec (msgpackr as configured in
 * packages/peers-core/src/codec.ts, `new Packr({useRecords: false, mapsAsObjects: true})` plus its
 * Error extension, used through @weble/peers-core's exported encode/decode) against a
 * "JSON with tags" codec defined below, on representative messages. Bytes in, bytes out for
 * both (JSON is encoded to and decoded from a UTF-8 Buffer, as it would be on the wire).
 * Reports encode+decode round trips per second and encoded size, and checks each round trip.
 */
import { isDeepStrictEqual } from 'node:util';
import { decode as msgDecode, encode as msgEncode } from '@weble/peers-core';
import { record } from './lib/summary.mjs';

// ---- JSON with tags -------------------------------------------------------------------------
// A value that JSON cannot carry becomes {"$t": tag, ...}. Limitation of this sketch: a plain
// object that has its own "$t" key is not escaped (a real codec would have to escape it).

const TAG = '$t';

/** Replacer: `this[key]` is the value before toJSON (Date and Buffer have one). */
function replacer(key, value) {
  const raw = this[key];
  if (raw === undefined) return { [TAG]: 'u' };
  if (raw instanceof Uint8Array)
    return { [TAG]: 'b', v: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  if (raw instanceof Date) return { [TAG]: 'd', v: raw.getTime() };
  if (raw instanceof Error) {
    const out = { [TAG]: 'e', name: raw.name, message: raw.message, stack: raw.stack };
    for (const k of Object.keys(raw)) out[k] = raw[k]; // code, errno...
    return out;
  }
  return value;
}

const ERRORS = { Error, TypeError, RangeError, SyntaxError, ReferenceError };

function reviver(_key, value) {
  if (value === null || typeof value !== 'object' || typeof value[TAG] !== 'string') return value;
  switch (value[TAG]) {
    case 'u':
      return undefined; // in an array this leaves a hole, which reads as undefined
    case 'b':
      return Buffer.from(value.v, 'base64');
    case 'd':
      return new Date(value.v);
    case 'e': {
      const { [TAG]: _t, name, message, stack, ...props } = value;
      const error = new (ERRORS[name] ?? Error)(message);
      if (error.name !== name) error.name = name;
      error.stack = stack;
      return Object.assign(error, props);
    }
    default:
      return value;
  }
}

const jsonEncode = (value) => Buffer.from(JSON.stringify(value, replacer));
const jsonDecode = (bytes) => JSON.parse(bytes.toString('utf8'), reviver);

// ---- messages -------------------------------------------------------------------------------

function messages() {
  const failure = Object.assign(new Error('write failed: gateway 12 did not answer within 3000 ms'), {
    code: 'ETIMEDOUT',
    address: '4/7/25',
  });
  const block = Buffer.alloc(4096);
  for (let i = 0; i < block.length; i++) block[i] = (i * 131 + 7) & 0xff;
  return [
    { name: "call tuple [id, 'writeValue', ['4/7/25', 21.7]]", value: [4711, 'writeValue', ['4/7/25', 21.7]] },
    {
      name: 'event args with a Date and a nested object',
      value: [
        '4/7/25',
        21.7,
        '21.7 °C',
        new Date('2024-11-24T21:00:00.000Z'),
        { gateway: { id: 12, name: 'knx-main', state: 'connected' }, quality: 'good', tags: ['temp', 'floor-2'] },
      ],
    },
    { name: 'call with a 4 KiB Buffer argument', value: [4712, 'writeBlock', ['modbus/3/40001', block]] },
    { name: 'Error result [id, error, []]', value: [4713, failure, []] },
  ];
}

/** Does a decoded value match the original (Errors by name, message and own props)? */
function same(a, b) {
  if (a instanceof Error || b instanceof Error) {
    return (
      a instanceof Error &&
      b instanceof Error &&
      a.name === b.name &&
      a.message === b.message &&
      a.code === b.code &&
      a.stack === b.stack
    );
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array)
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a && typeof a === 'object')
    return (
      b &&
      typeof b === 'object' &&
      Object.keys(a).length === Object.keys(b).length &&
      Object.keys(a).every((k) => same(a[k], b[k]))
    );
  return isDeepStrictEqual(a, b);
}

/** Encode+decode round trips per second, over about `ms` milliseconds after a warm-up. */
function opsPerSec(encode, decode, value, ms) {
  let sink = 0;
  const batch = 500;
  const run = (until) => {
    let n = 0;
    const start = process.hrtime.bigint();
    const stop = start + BigInt(Math.round(until * 1e6));
    let now = start;
    while (now < stop) {
      for (let i = 0; i < batch; i++) sink ^= decode(encode(value)) === null ? 1 : 0;
      n += batch;
      now = process.hrtime.bigint();
    }
    return n / (Number(now - start) / 1e9);
  };
  run(ms / 3);
  const result = run(ms);
  if (sink === 42) console.log(''); // keep `sink` alive
  return result;
}

const CODECS = [
  { id: 'msgpackr', encode: msgEncode, decode: msgDecode },
  { id: 'json+tags', encode: jsonEncode, decode: jsonDecode },
];

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

function main() {
  const ms = process.env.BENCH_QUICK === '1' ? 200 : 800;
  const started = Date.now();
  const rows = [];
  for (const m of messages()) {
    const r = { message: m.name };
    for (const c of CODECS) {
      const bytes = c.encode(m.value);
      r[c.id] = {
        bytes: bytes.length,
        roundTripOk: same(m.value, c.decode(bytes)),
        opsPerSec: opsPerSec(c.encode, c.decode, m.value, ms),
      };
    }
    rows.push(r);
  }
  console.log('\n## Codec: msgpackr (peers-core) vs JSON with tags, encode + decode of one message\n');
  console.log(
    '| Message | msgpackr ops/s | JSON+tags ops/s | speed msgpackr/JSON | msgpackr bytes | JSON+tags bytes ' +
      '| size msgpackr/JSON | round trip exact (msgpackr / JSON) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const a = r.msgpackr;
    const b = r['json+tags'];
    console.log(
      `| ${r.message} | ${fmtInt(a.opsPerSec)} | ${fmtInt(b.opsPerSec)} | ${(a.opsPerSec / b.opsPerSec).toFixed(2)}x ` +
        `| ${a.bytes} | ${b.bytes} | ${(a.bytes / b.bytes).toFixed(2)}x ` +
        `| ${a.roundTripOk ? 'yes' : 'NO'} / ${b.roundTripOk ? 'yes' : 'NO'} |`,
    );
  }
  console.log(
    `\nspeed > 1x: msgpackr faster; size < 1x: msgpackr smaller. ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  record(
    'codec',
    rows.map((r) => ({
      measure: `${r.message}: encode + decode`,
      value: r.msgpackr.opsPerSec,
      unit: 'ops/s',
      baseline: 'JSON with tags',
      baselineValue: r['json+tags'].opsPerSec,
      better: 'higher',
    })),
  );
  return rows;
}

main();
