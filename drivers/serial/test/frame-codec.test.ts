/** The start/end/length/checksum framer, byte by byte: every split of valid streams, garbage, faults. */
import { describe, expect, it } from 'vitest';
import { SerialCode } from '../src/errors.js';
import { encodeFrame, FrameDecoder, type FrameEvent, type FrameFormat } from '../src/frame-codec.js';

const STX_LEN_CRC_ETX: FrameFormat = {
  start: Uint8Array.of(0x02),
  length: { size: 1, endian: 'big', adjust: 0 },
  end: Uint8Array.of(0x03),
  checksum: { type: 'crc16-modbus', endian: 'little', covers: 'after-start', position: 'before-end' },
  maxLength: 64,
};
const FORMATS: Record<string, FrameFormat> = {
  'start, length, CRC-16/Modbus, end': STX_LEN_CRC_ETX,
  'two start bytes, 2-byte little-endian length counting the checksum, no end': {
    start: Uint8Array.of(0xaa, 0x55),
    length: { size: 2, endian: 'little', adjust: -2 },
    checksum: { type: 'crc16-xmodem', endian: 'big', covers: 'all', position: 'before-end' },
    maxLength: 64,
  },
  'start and end only, sum after the end bytes': {
    start: Uint8Array.of(0x02),
    end: Uint8Array.of(0x0d, 0x0a),
    checksum: { type: 'sum8', endian: 'big', covers: 'after-start', position: 'after-end' },
    maxLength: 64,
  },
  'start and end, xor over the payload': {
    start: Uint8Array.of(0x3a),
    end: Uint8Array.of(0x0d),
    checksum: { type: 'xor8', endian: 'big', covers: 'payload', position: 'before-end' },
    maxLength: 64,
  },
};
const PAYLOADS = [Buffer.from('hello'), Buffer.from([0x10, 0x00, 0xea]), Buffer.alloc(0), Buffer.from('x')];

function decodeAll(format: FrameFormat, chunks: Uint8Array[]): FrameEvent[] {
  const decoder = new FrameDecoder(format);
  return chunks.flatMap((chunk) => decoder.push(chunk));
}
const payloads = (events: FrameEvent[]): string[] =>
  events.map((e) => ('payload' in e ? e.payload.toString('hex') : `fault ${e.fault.code}`));

describe('FrameDecoder', () => {
  for (const [name, format] of Object.entries(FORMATS)) {
    it(`${name}: decodes every stream split at every offset, or byte by byte`, () => {
      const stream = Buffer.concat(PAYLOADS.map((p) => encodeFrame(format, p)));
      const expected = PAYLOADS.map((p) => p.toString('hex'));
      expect(payloads(decodeAll(format, [stream]))).toEqual(expected);
      for (let i = 0; i <= stream.length; i++) {
        for (let j = i; j <= stream.length; j += 3) {
          expect(
            payloads(decodeAll(format, [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])),
          ).toEqual(expected);
        }
      }
      expect(
        payloads(
          decodeAll(
            format,
            [...stream].map((b) => Uint8Array.of(b)),
          ),
        ),
      ).toEqual(expected);
    });
  }

  it('reports garbage before a frame once, and keeps the frame', () => {
    const good = encodeFrame(STX_LEN_CRC_ETX, Buffer.from('ok'));
    const events = decodeAll(STX_LEN_CRC_ETX, [Buffer.from('noise'), good]);
    expect(payloads(events)).toEqual([`fault ${SerialCode.GARBAGE}`, Buffer.from('ok').toString('hex')]);
    expect('fault' in events[0]! && Buffer.from(events[0].fault.bytes).toString()).toBe('noise');
  });

  it('reports a corrupted frame as a bad checksum, once, and decodes the next good frame', () => {
    const bad = encodeFrame(STX_LEN_CRC_ETX, Buffer.from([0x10, 0x00, 0x63]));
    bad[3] = bad[3]! ^ 0xff;
    const good = encodeFrame(STX_LEN_CRC_ETX, Buffer.from([0x10, 0x00, 0xea]));
    for (let split = 0; split <= bad.length + good.length; split++) {
      const stream = Buffer.concat([bad, good]);
      expect(payloads(decodeAll(STX_LEN_CRC_ETX, [stream.subarray(0, split), stream.subarray(split)]))).toEqual([
        `fault ${SerialCode.BAD_CHECKSUM}`,
        '1000ea',
      ]);
    }
  });

  it('a frame whose end bytes are not where the length says is a bad length; the decoder resynchronises', () => {
    const good = encodeFrame(STX_LEN_CRC_ETX, Buffer.from('abc'));
    const broken = Buffer.from(good);
    broken[broken.length - 1] = 0x04;
    expect(payloads(decodeAll(STX_LEN_CRC_ETX, [broken, good]))).toEqual([
      `fault ${SerialCode.BAD_LENGTH}`,
      Buffer.from('abc').toString('hex'),
    ]);
  });

  it('a length over maxLength is refused at once, not waited for', () => {
    const decoder = new FrameDecoder(STX_LEN_CRC_ETX);
    expect(payloads(decoder.push(Uint8Array.of(0x02, 200)))).toEqual([`fault ${SerialCode.BAD_LENGTH}`]);
    expect(decoder.pending).toBe(0);
  });

  it('without a length field, a frame that never ends is dropped at maxLength', () => {
    const format = FORMATS['start and end, xor over the payload']!;
    const decoder = new FrameDecoder(format);
    expect(
      decoder
        .push(Buffer.concat([Buffer.from(':'), Buffer.alloc(70, 0x41)]))
        .map((e) => ('fault' in e ? e.fault.code : 'frame')),
    ).toEqual([SerialCode.FRAME_TOO_LONG]);
    expect(decoder.pending).toBeLessThan(format.maxLength);
    expect(payloads(decoder.push(encodeFrame(format, Buffer.from('ok'))))).toEqual([Buffer.from('ok').toString('hex')]);
  });

  it('random garbage never throws, never holds more than maxLength, and good frames still come through', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const format of Object.values(FORMATS)) {
      const decoder = new FrameDecoder(format);
      for (let round = 0; round < 200; round++) {
        const garbage = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
        decoder.push(garbage);
        expect(decoder.pending).toBeLessThanOrEqual(format.maxLength);
      }
      // Flush whatever partial frame the garbage left open, then a good frame decodes.
      const good = encodeFrame(format, Buffer.from('fine'));
      const events = [...decoder.push(Buffer.concat([Buffer.alloc(format.maxLength, 0), good]))];
      for (let i = 0; i < 3 && !events.some((e) => 'payload' in e); i++) events.push(...decoder.push(good));
      expect(events.filter((e) => 'payload' in e).map((e) => ('payload' in e ? e.payload.toString() : ''))).toContain(
        'fine',
      );
    }
  });
});

describe('encodeFrame', () => {
  it('builds the bytes a device expects (02 len payload crc-lo crc-hi 03; CRC checked with an independent implementation)', () => {
    expect(encodeFrame(STX_LEN_CRC_ETX, Buffer.from([0x01, 0x02])).toString('hex')).toBe('02020102505103');
  });

  it('refuses a payload that does not fit the length field or maxLength', () => {
    expect(() => encodeFrame(STX_LEN_CRC_ETX, Buffer.alloc(300))).toThrow(/does not fit a 1-byte length field/);
    expect(() => encodeFrame(STX_LEN_CRC_ETX, Buffer.alloc(100))).toThrow(/over maxLength 64/);
  });
});
