/** Layout frames byte by byte: the three documented shapes, every split, every bit flipped, garbage. */
import { describe, expect, it } from 'vitest';
import { SerialCode } from '../src/errors.js';
import { layoutOf } from '../src/frame-stream.js';
import { framingSchema } from '../src/framing-schema.js';
import type { Layout } from '../src/layout.js';
import { buildFrame, parseFrame } from '../src/layout-codec.js';
import { LayoutDecoder, type LayoutEvent } from '../src/layout-decoder.js';
import { LE_METER, LRC_LINE, STX_INSTRUMENT } from './fixtures/protocols.js';

const layoutFor = (framing: unknown): Layout => layoutOf(framingSchema.parse(framing))!;
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');
const STX = layoutFor(STX_INSTRUMENT);
const METER = layoutFor(LE_METER);
const LRC = layoutFor(LRC_LINE);

function decodeAll(layout: Layout, chunks: Uint8Array[]): LayoutEvent[] {
  const decoder = new LayoutDecoder(layout);
  return chunks.flatMap((chunk) => decoder.push(chunk));
}
const summary = (events: LayoutEvent[]): string[] =>
  events.map((e) =>
    'frame' in e ? `${JSON.stringify(e.frame.fields)} ${e.frame.payload.toString('hex')}` : `fault ${e.fault.code}`,
  );

describe('the three documented shapes, built', () => {
  it('STX instrument: 02 addr cmd len payload crc16-modbus(addr..payload, low byte first) 03', () => {
    // CRC-16/Modbus of 01 03 02 00 ea is 0xCB39 (computed with an independent bitwise implementation)
    expect(buildFrame(STX, { command: 3 }, hex('00 ea')).toString('hex')).toBe('0201030200ea39cb03');
  });

  it('LRC line: ":" then hex digits of address, function, data and LRC (the Modbus ASCII read of 1 register)', () => {
    expect(buildFrame(LRC, { function: 3 }, hex('00 00 00 01')).toString('latin1')).toBe(':010300000001FB');
  });

  it('meter: aa 55, a little-endian length counting address..payload, address 34 12, crc over len..payload', () => {
    const frame = buildFrame(METER, { command: 0x81 }, hex('10 27 00 00'));
    expect(frame.subarray(0, 8).toString('hex')).toBe('aa55070034128110'); // 7 = 2 + 1 + 4
    expect(parseFrame(METER, frame)).toEqual({
      fields: { address: 0x1234, command: 0x81 },
      payload: hex('10 27 00 00'),
    });
  });

  it('a field with no value, or a value that does not fit, is refused with its name', () => {
    expect(() => buildFrame(STX, {}, hex('00'))).toThrow(
      'the frame\'s field "command" has no value (give it in the layout or in the point\'s fields)',
    );
    expect(() => buildFrame(STX, { command: 256 }, hex('00'))).toThrow(
      'field "command": 256 does not fit 1 byte(s) (0..255)',
    );
  });
});

const STREAMS: Array<[string, Layout, Buffer[]]> = [
  [
    'STX instrument',
    STX,
    [
      buildFrame(STX, { command: 3 }, hex('00 ea')),
      buildFrame(STX, { command: 6, address: 2 }, Buffer.alloc(0)),
      buildFrame(STX, { command: 0x83 }, hex('02 03 02')),
    ],
  ],
  [
    'meter',
    METER,
    [
      buildFrame(METER, { command: 0x81 }, hex('10 27 00 00')),
      buildFrame(METER, { command: 1 }, Buffer.alloc(0)),
      buildFrame(METER, { command: 2, address: 7 }, hex('55 aa 55')),
    ],
  ],
];

describe('LayoutDecoder', () => {
  for (const [name, layout, frames] of STREAMS) {
    const expected = frames.map((f) => summary([{ frame: parseFrame(layout, f) as never }])[0]!);

    it(`${name}: every stream split at every two offsets, and byte by byte, gives the same frames`, () => {
      const stream = Buffer.concat(frames);
      for (let i = 0; i <= stream.length; i++) {
        for (let j = i; j <= stream.length; j++) {
          expect(
            summary(decodeAll(layout, [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])),
          ).toEqual(expected);
        }
      }
      expect(
        summary(
          decodeAll(
            layout,
            [...stream].map((b) => Uint8Array.of(b)),
          ),
        ),
      ).toEqual(expected);
    });

    it(`${name}: any single bit flipped in a frame is never a frame; a good frame after it still is`, () => {
      const good = frames[0]!;
      // A flipped length may make the decoder wait for a long frame: bytes up to maxLength complete it (then it fails).
      const filler = Buffer.alloc(layout.maxLength, 0);
      for (let byte = 0; byte < good.length; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const bad = Buffer.from(good);
          bad[byte]! ^= 1 << bit;
          const events = decodeAll(layout, [bad, filler, frames[1]!]);
          expect(summary(events).filter((e) => !e.startsWith('fault'))).toEqual([expected[1]]);
          expect(events.every((e) => 'frame' in e || Object.values(SerialCode).includes(e.fault.code))).toBe(true);
        }
      }
    });

    it(`${name}: a truncated frame is never a frame`, () => {
      for (let cut = 1; cut < frames[0]!.length; cut++) {
        const events = decodeAll(layout, [frames[0]!.subarray(0, cut), frames[1]!]);
        expect(summary(events).filter((e) => !e.startsWith('fault'))).not.toContain(expected[0]);
      }
    });

    it(`${name}: random garbage only raises coded faults, never holds more than maxLength, and good frames come through after it`, () => {
      let seed = 11;
      const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      const decoder = new LayoutDecoder(layout);
      for (let round = 0; round < 300; round++) {
        const garbage = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
        for (const event of decoder.push(garbage))
          if ('fault' in event) expect(Object.values(SerialCode)).toContain(event.fault.code);
        expect(decoder.pending).toBeLessThanOrEqual(layout.maxLength);
      }
      const events = decoder.push(Buffer.concat([Buffer.alloc(layout.maxLength, 0), ...frames, ...frames]));
      expect(
        summary(events)
          .filter((e) => !e.startsWith('fault'))
          .slice(-3),
      ).toEqual(expected);
    });
  }

  it('a length field saying more than maxLength is refused at once, not waited for', () => {
    const decoder = new LayoutDecoder(layoutFor({ ...STX_INSTRUMENT, maxLength: 64 }));
    expect(summary(decoder.push(hex('02 01 03 ff')))).toEqual([`fault ${SerialCode.BAD_LENGTH}`]);
    expect(decoder.pending).toBe(0);
    expect(summary(decoder.push(hex('02 01 03 ff')))).toEqual([]); // the same fault, resynchronising: reported once
  });

  it('end bytes not where the length says are SERIAL_BAD_LENGTH; a damaged CRC is SERIAL_BAD_CHECKSUM', () => {
    const good = buildFrame(STX, { command: 3 }, hex('00 ea'));
    const noEnd = Buffer.from(good);
    noEnd[noEnd.length - 1] = 0x04;
    expect(summary(decodeAll(STX, [noEnd]))).toEqual([`fault ${SerialCode.BAD_LENGTH}`]);
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 2]! ^= 0x80;
    expect(summary(decodeAll(STX, [badCrc]))).toEqual([`fault ${SerialCode.BAD_CHECKSUM}`]);
  });
});

describe('parseFrame (whole frames cut by another framing)', () => {
  const line = (text: string) => parseFrame(LRC, Buffer.from(text, 'latin1'));

  it('LRC line: fields, payload, and every fault coded', () => {
    expect(line(':010300000001FB')).toEqual({ fields: { address: 1, function: 3 }, payload: hex('00 00 00 01') });
    expect(line(':010300000001fb')).toEqual({ fields: { address: 1, function: 3 }, payload: hex('00 00 00 01') }); // lower-case digits too
    expect(line(':010300000002FB')).toMatchObject({
      fault: { code: SerialCode.BAD_CHECKSUM, message: 'lrc checksum fb does not match fa' },
    });
    expect(line(':0103000000G1FB')).toMatchObject({ fault: { code: SerialCode.BAD_FRAME } });
    expect(line(':01030000001FB')).toMatchObject({ fault: { code: SerialCode.BAD_FRAME } }); // odd number of digits
    expect(line(';010300000001FB')).toMatchObject({
      fault: { code: SerialCode.BAD_FRAME, message: 'fixed bytes "start" (3a) not found at offset 0 (got 3b)' },
    });
    expect(line(':01')).toMatchObject({
      fault: { code: SerialCode.BAD_FRAME, message: 'a frame of 3 bytes does not fit the layout' },
    });
  });

  it('every single bit flipped in a line is a coded fault, never a frame', () => {
    const good = Buffer.from(':010300000001FB', 'latin1');
    for (let byte = 0; byte < good.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = Buffer.from(good);
        bad[byte]! ^= 1 << bit;
        const parsed = parseFrame(LRC, bad);
        // a flip that turns a hex digit into the same digit of the other case ('B' <-> 'b') is the same line
        if ('fields' in parsed) expect(bad.toString('latin1').toUpperCase()).toBe(':010300000001FB');
        else expect(Object.values(SerialCode)).toContain(parsed.fault.code);
      }
    }
  });
});
