/** Layouts in the configuration: what is accepted, and every refusal with the path of the problem. */
import { formatIssues } from '@weble/driver-kit';
import { describe, expect, it } from 'vitest';
import { configSchema, pointSchema } from '../src/schemas.js';
import { LE_METER, LRC_LINE, STX_INSTRUMENT } from './fixtures/protocols.js';

function problems(framing: unknown): string[] {
  const result = configSchema.safeParse({ path: '/dev/x', framing });
  return result.success ? [] : formatIssues(result.error.issues, 'gateways[0].config');
}

const STX = STX_INSTRUMENT.layout;

describe('layouts in the gateway config', () => {
  it('accepts the three documented shapes, and a checksum on an idle or fixed-length framing', () => {
    for (const framing of [STX_INSTRUMENT, LRC_LINE, LE_METER]) expect(problems(framing)).toEqual([]);
    expect(problems({ type: 'idle', idleMs: 20, layout: ['payload', { checksum: { type: 'crc16-modbus' } }] })).toEqual(
      [],
    );
    expect(
      problems({
        type: 'length',
        length: 5,
        layout: [{ field: 'address' }, 'payload', { checksum: { type: 'crc8' } }],
      }),
    ).toEqual([]);
  });

  it('refuses a length that counts elements the frame does not have, naming the known ones', () => {
    const layout = [...STX];
    layout[3] = { length: { size: 1, counts: { from: 'address', to: 'trailer' } } } as never;
    expect(problems({ type: 'frame', layout })).toEqual([
      'gateways[0].config.framing.layout[3].length.counts.to: "trailer" is not an element of this frame (elements: start, address, command, length, payload, checksum, end)',
    ]);
  });

  it('refuses a checksum range that ends at or after the checksum', () => {
    const layout = [...STX];
    layout[5] = { checksum: { type: 'crc16-modbus', from: 'address', to: 'end' } };
    expect(problems({ type: 'frame', layout })).toEqual([
      'gateways[0].config.framing.layout[5].checksum.to: the checksum\'s range ends at "end", at or after the checksum itself (layout[5]): a checksum covers bytes before it',
    ]);
    layout[5] = { checksum: { type: 'crc16-modbus', from: 'payload', to: 'address' } };
    expect(problems({ type: 'frame', layout })).toEqual([
      'gateways[0].config.framing.layout[5].checksum.from: the checksum\'s range starts at "payload", after its end "address"',
    ]);
  });

  it('refuses a frame framing whose frames cannot be cut from a stream', () => {
    expect(problems({ type: 'frame', layout: [{ fixed: '02' }, 'payload', { checksum: { type: 'sum8' } }] })).toEqual([
      'gateways[0].config.framing.layout: nothing tells where a frame ends: give a length field before the payload that counts it, or fixed end bytes after the payload',
    ]);
    expect(problems({ type: 'frame', layout: [{ fixed: '02' }, 'payload', { length: {} }] })).toEqual([
      'gateways[0].config.framing.layout: the length field comes after the payload and no fixed bytes follow the payload: a decoder cannot find where a frame ends (put the length before the payload, or end bytes after it)',
    ]);
    expect(problems({ type: 'frame', layout: [{ field: 'address' }, 'payload', { fixed: '03' }] })).toEqual([
      "gateways[0].config.framing.layout[0]: a frame framing's layout starts with fixed bytes (the start sequence the decoder looks for)",
    ]);
  });

  it('refuses duplicates, reserved names, unknown keys, mixed shorthand, and hex without a layout', () => {
    expect(
      problems({ type: 'idle', idleMs: 5, layout: [{ field: 'a' }, { field: 'a' }, 'payload', 'payload'] }),
    ).toEqual([
      'gateways[0].config.framing.layout[1]: a second element named "a" (the first is layout[0])',
      'gateways[0].config.framing.layout[3]: a second element named "payload" (the first is layout[2])',
      'gateways[0].config.framing.layout[3]: a frame has at most one payload (the first is layout[2])',
    ]);
    expect(problems({ type: 'idle', idleMs: 5, layout: [{ field: 'length' }, 'payload'] })).toEqual([
      'gateways[0].config.framing.layout[0].field: "length" is the name of an element kind; call it something else',
    ]);
    expect(problems({ type: 'frame', start: '02', layout: STX })).toEqual([
      "gateways[0].config.framing.start: use either layout or the shorthand start/end/length/checksum, not both (start is in the layout's place)",
    ]);
    expect(problems({ type: 'delimiter', hex: true })).toEqual(['gateways[0].config.framing.hex: hex needs a layout']);
    expect(
      problems({ type: 'idle', idleMs: 5, layout: [{ field: 'a', size: 3 }, { checksum: { type: 'crc32' } }] }),
    ).toHaveLength(2);
  });

  it('refuses fixed parts longer than maxLength', () => {
    expect(
      problems({
        type: 'frame',
        maxLength: 4,
        layout: [{ fixed: '02 02 02' }, { length: {} }, 'payload', { checksum: { type: 'crc16-modbus' } }],
      }),
    ).toEqual(['gateways[0].config.framing.layout: its fixed parts take 6 bytes, over maxLength 4']);
  });
});

describe('points with header fields', () => {
  it('a request may give header fields instead of a command; a match may require header fields', () => {
    expect(
      pointSchema.safeParse({
        type: 'number',
        poll: { fields: { command: 3 }, reply: { fields: { command: 3 }, field: { offset: 0, type: 'bcd16' } } },
      }).success,
    ).toBe(true);
    const result = pointSchema.safeParse({ type: 'number', poll: { reply: { field: { offset: 0, type: 'uint8' } } } });
    expect(result.success ? [] : formatIssues(result.error.issues, 'p')).toEqual([
      'p.poll.command: a request needs a command, or header fields (with a layout)',
    ]);
  });
});
