/**
 * The datapoint codec, byte by byte: known telegrams from the KNX specification, every wrong
 * size (each valid value's bytes cut at every offset and grown by a byte) a coded error,
 * garbage only ever coded errors, fast-check round trips, and knxultimate's own codec as an
 * independent oracle where its values are right.
 */
import fc from 'fast-check';
import { dptlib } from 'knxultimate';
import { describe, expect, it } from 'vitest';
import { DPT_SIZES, KnxError, decodeDpt, encodeDpt, parseDpt, type TelegramData } from '../src/index.js';

const bytes = (text: string): TelegramData => ({
  small: false,
  bytes: Uint8Array.from(Buffer.from(text.replace(/ /g, ''), 'hex')),
});
const small = (value: number): TelegramData => ({ small: true, bytes: Uint8Array.of(value) });
const decode = (dpt: string, data: TelegramData) => decodeDpt(parseDpt(dpt), data);
const encode = (dpt: string, value: unknown) => encodeDpt(parseDpt(dpt), value);
const hexOf = (data: TelegramData) => Buffer.from(data.bytes).toString('hex');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KnxError);
    return (error as KnxError).code;
  }
  return undefined;
}

/** A valid telegram of each main type (with its decoded value). */
const SAMPLES: Array<[string, TelegramData, unknown]> = [
  ['1.001', small(1), true],
  ['2.001', small(3), { control: true, value: true }],
  ['3.007', small(0x0b), { increase: true, step: 3 }],
  ['5.001', bytes('80'), 50.2],
  ['5.003', bytes('ff'), 360],
  ['5.010', bytes('2a'), 42],
  ['6.010', bytes('fe'), -2],
  ['7.001', bytes('1234'), 0x1234],
  ['8.001', bytes('fffe'), -2],
  ['9.001', bytes('0c33'), 21.5],
  ['12.001', bytes('ffffffff'), 4_294_967_295],
  ['13.001', bytes('80000000'), -2_147_483_648],
  ['14.056', bytes('41ac0000'), 21.5],
  ['16.001', bytes('4bfc686c652000000000000000'.padEnd(28, '0')), 'Kühle '],
  ['17.001', bytes('3f'), 63],
  ['18.001', bytes('85'), { learn: true, scene: 5 }],
  ['20.102', bytes('03'), 3],
  ['232.600', bytes('ff8000'), { red: 255, green: 128, blue: 0 }],
];

describe('decode and encode known telegrams', () => {
  it.each(SAMPLES)('%s %o', (dpt, data, value) => {
    expect(decode(dpt, data)).toEqual(value);
    expect(hexOf(encode(dpt, value))).toBe(hexOf(data));
    expect(encode(dpt, value).small).toBe(data.small);
  });

  it("DPT 9 from the specification: 0.01 * M * 2^E, negative mantissa in two's complement", () => {
    expect(decode('9.001', bytes('0000'))).toBe(0);
    expect(decode('9.001', bytes('8a24'))).toBe(-30);
    expect(decode('9.001', bytes('07ff'))).toBe(20.47);
    expect(decode('9.001', bytes('7ffe'))).toBe(670_433.28);
    expect(decode('9.001', bytes('f800'))).toBe(-671_088.64);
    expect(hexOf(encode('9.001', -30))).toBe('8a24');
    expect(hexOf(encode('9.001', 20.47))).toBe('07ff');
  });

  it('5.001 50 % is 0x80 (not 0x7f), 100 % is 0xff', () => {
    expect(hexOf(encode('5.001', 50))).toBe('80');
    expect(hexOf(encode('5.001', 100))).toBe('ff');
    expect(decode('5.001', bytes('ff'))).toBe(100);
  });

  it('1.x takes 0/1 as well as booleans; a small value may also come as one data byte', () => {
    expect(hexOf(encode('1.001', 1))).toBe('01');
    expect(decode('1.001', bytes('01'))).toBe(true);
    expect(decode('3.007', bytes('08'))).toEqual({ increase: true, step: 0 });
  });
});

describe('wrong sizes and garbage are coded errors', () => {
  it.each(SAMPLES.filter(([dpt]) => (DPT_SIZES[parseDpt(dpt).main]?.bits ?? 0) > 6))(
    '%s cut at every offset and grown by a byte: KNX_BAD_SIZE',
    (dpt, data) => {
      for (let cut = 0; cut < data.bytes.length; cut++) {
        expect(codeOf(() => decode(dpt, { small: false, bytes: data.bytes.subarray(0, cut) }))).toBe('KNX_BAD_SIZE');
      }
      expect(codeOf(() => decode(dpt, { small: false, bytes: Uint8Array.from([...data.bytes, 0]) }))).toBe(
        'KNX_BAD_SIZE',
      );
      expect(codeOf(() => decode(dpt, small(1)))).toBe('KNX_BAD_SIZE');
    },
  );

  it('small types with too many bits or bytes: KNX_BAD_SIZE', () => {
    expect(codeOf(() => decode('1.001', bytes('02')))).toBe('KNX_BAD_SIZE');
    expect(codeOf(() => decode('1.001', bytes('0101')))).toBe('KNX_BAD_SIZE');
    expect(codeOf(() => decode('3.007', small(0x10)))).toBe('KNX_BAD_SIZE');
    expect(codeOf(() => decode('1.001', { small: false, bytes: new Uint8Array(0) }))).toBe('KNX_BAD_SIZE');
  });

  it('bytes that are no value: KNX_BAD_DATA', () => {
    expect(codeOf(() => decode('9.001', bytes('7fff')))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('14.056', bytes('7fc00000')))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('14.056', bytes('7f800000')))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('16.000', bytes('c4'.padEnd(28, '0'))))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('16.000', bytes('4100410000000000000000000000')))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('17.001', bytes('40')))).toBe('KNX_BAD_DATA');
    expect(codeOf(() => decode('18.001', bytes('40')))).toBe('KNX_BAD_DATA');
  });

  it('values the type cannot carry: KNX_BAD_VALUE with the type and the value', () => {
    expect(() => encode('5.010', 300)).toThrow(
      /DPT 5\.010 expects an integer 0\.\.255 \(unsigned byte\), got number \(300\) \(KNX_BAD_VALUE\)/,
    );
    for (const [dpt, value] of [
      ['1.001', 2],
      ['1.001', 'on'],
      ['3.007', { increase: true, step: 8 }],
      ['5.001', 100.1],
      ['7.001', -1],
      ['9.001', 700_000],
      ['12.001', 2 ** 32],
      ['13.001', 1.5],
      ['14.056', Number.NaN],
      ['16.000', 'x'.repeat(15)],
      ['16.000', 'Kühl'],
      ['17.001', 64],
      ['18.001', { learn: true }],
      ['232.600', { red: 1, green: 2, blue: 256 }],
      ['232.600', [1, 2, 3]],
      ['20.102', null],
    ] as const) {
      expect(
        codeOf(() => encode(dpt, value)),
        `${dpt} ${JSON.stringify(value)}`,
      ).toBe('KNX_BAD_VALUE');
    }
  });

  it('random bytes of any length never raise anything but a coded error', () => {
    const dpts = SAMPLES.map(([dpt]) => dpt);
    fc.assert(
      fc.property(fc.constantFrom(...dpts), fc.boolean(), fc.uint8Array({ maxLength: 20 }), (dpt, isSmall, data) => {
        const code = codeOf(() => decode(dpt, { small: isSmall, bytes: data }));
        expect([undefined, 'KNX_BAD_SIZE', 'KNX_BAD_DATA']).toContain(code);
      }),
    );
  });
});

describe('round trips (fast-check)', () => {
  const fixedSize = (dpt: string): number =>
    DPT_SIZES[parseDpt(dpt).main]!.bits <= 8 ? 1 : DPT_SIZES[parseDpt(dpt).main]!.bits / 8;
  it.each(['5.001', '5.003', '5.010', '6.010', '7.001', '8.001', '12.001', '13.001', '20.102', '232.600'])(
    '%s: every byte pattern survives decode -> encode',
    (dpt) => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: fixedSize(dpt), maxLength: fixedSize(dpt) }), (data) => {
          expect(encode(dpt, decode(dpt, { small: false, bytes: data })).bytes).toEqual(data);
        }),
      );
    },
  );

  it('9.001: decode -> encode -> decode gives the same value (encodings are not unique)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 2 }).filter((b) => !(b[0] === 0x7f && b[1] === 0xff)),
        (data) => {
          const value = decode('9.001', { small: false, bytes: data });
          expect(decode('9.001', encode('9.001', value))).toBe(value);
        },
      ),
    );
  });

  it('9.001: any value in range encodes within half a step of its exponent', () => {
    fc.assert(
      fc.property(fc.double({ min: -671_088.64, max: 670_433.28, noNaN: true }), (value) => {
        const back = decode('9.001', encode('9.001', value)) as number;
        const exponent = (encode('9.001', value).bytes[0]! >> 3) & 0x0f;
        expect(Math.abs(back - value)).toBeLessThanOrEqual((0.01 * 2 ** exponent) / 2 + 0.005);
      }),
    );
  });

  it('14.056: finite float32 patterns survive decode -> encode', () => {
    for (const edge of [3.4028234663852886e38, -3.4028234663852886e38]) {
      const data = encode('14.056', edge); // the largest float32 decodes as 3.4028235e38, a hair above it
      expect(encode('14.056', decode('14.056', data)).bytes).toEqual(data.bytes);
    }
    fc.assert(
      fc.property(
        fc.float({ noNaN: true, noDefaultInfinity: true }).filter((f) => !Object.is(f, -0)),
        (value) => {
          const data = encode('14.056', value);
          expect(encode('14.056', decode('14.056', data)).bytes).toEqual(data.bytes);
        },
      ),
    );
  });

  it('16.001: ISO 8859-1 strings of up to 14 characters', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 14, unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)) }),
        (text) => {
          expect(decode('16.001', encode('16.001', text))).toBe(text);
        },
      ),
    );
  });
});

describe("knxultimate's codec as an oracle", () => {
  const library = (dpt: string, data: Uint8Array): unknown => dptlib.fromBuffer(Buffer.from(data), dptlib.resolve(dpt));
  it.each([
    ['7.001', 2],
    ['8.001', 2],
    ['9.001', 2],
    ['12.001', 4],
    ['13.001', 4],
    ['14.056', 4],
    ['5.010', 1],
    ['20.102', 1],
  ] as const)('%s decodes every pattern as knxultimate does', (dpt, size) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: size, maxLength: size }), (data) => {
        let ours: unknown;
        try {
          ours = decode(dpt, { small: false, bytes: data });
        } catch {
          return; // our coded refusal (7fff, NaN): the library returns null or NaN there
        }
        const theirs = library(dpt, data) as number;
        if (dpt === '14.056') expect(Math.fround(ours as number)).toBe(Math.fround(theirs));
        else expect(ours).toBeCloseTo(theirs, 2);
      }),
      { numRuns: 300 },
    );
  });

  it('232.600 and 5.001 agree with knxultimate (it rounds percent to an integer, we to 0.1)', () => {
    expect(library('232.600', Uint8Array.of(1, 2, 3))).toEqual(decode('232.600', bytes('010203')));
    for (let b = 0; b < 256; b++)
      expect(
        Math.abs(
          (decode('5.001', { small: false, bytes: Uint8Array.of(b) }) as number) -
            (library('5.001', Uint8Array.of(b)) as number),
        ),
      ).toBeLessThanOrEqual(0.5);
  });
});
