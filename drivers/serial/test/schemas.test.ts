/** The configuration schemas: defaults, and a clear message naming each problem. */
import { formatIssues } from '@weble/driver-kit';
import { describe, expect, it } from 'vitest';
import { configSchema, pointSchema } from '../src/schemas.js';

function problems(schema: typeof configSchema | typeof pointSchema, input: unknown, at: string): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : formatIssues(result.error.issues, at);
}

describe('gateway config', () => {
  it('fills the defaults: 9600 8N1, lines ending in \\n, 1 s polls and timeouts, 2 retries', () => {
    expect(configSchema.parse({ path: '/dev/ttyUSB0' })).toEqual({
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      dataBits: 8,
      stopBits: 1,
      parity: 'none',
      flowControl: 'none',
      encoding: 'utf8',
      framing: { type: 'delimiter', delimiter: '\\n', maxLength: 1024 },
      pollMs: 1000,
      timeoutMs: 1000,
      retries: 2,
    });
  });

  it('parses frame framings with hex or byte arrays, and keeps them plain data', () => {
    const config = configSchema.parse({
      path: '/dev/x',
      framing: { type: 'frame', start: '0x02', end: [3], length: {}, checksum: { type: 'crc16-modbus' } },
    });
    expect(config.framing).toEqual({
      type: 'frame',
      start: [2],
      end: [3],
      length: { size: 1, endian: 'big', adjust: 0 },
      checksum: { type: 'crc16-modbus', covers: 'after-start', position: 'before-end' },
      maxLength: 1024,
    });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it('names every problem', () => {
    expect(
      problems(
        configSchema,
        { baudRate: 'fast', parity: 'both', framing: { type: 'frame', start: '02' }, extra: 1 },
        'gateways[0].config',
      ),
    ).toEqual([
      'gateways[0].config.path: expected string, received undefined',
      'gateways[0].config.baudRate: expected number, received string',
      'gateways[0].config.parity: Invalid option: expected one of "none"|"even"|"odd"|"mark"|"space"',
      'gateways[0].config.framing: a frame needs a length field or end bytes to know where it stops',
      'gateways[0].config: Unrecognized key: "extra"',
    ]);
    expect(problems(configSchema, { path: '/x', framing: { type: 'delimiter', delimiter: '\\q' } }, 'c')).toEqual([
      'c.framing.delimiter: unknown escape \\q at 0 (known: \\r \\n \\t \\0 \\\\ \\$ \\xHH)',
    ]);
    expect(problems(configSchema, { path: '/x', framing: { type: 'regex', regex: '(' } }, 'c')).toEqual([
      'c.framing.regex: invalid regular expression "(": /(/: Unterminated group',
    ]);
  });
});

describe('points', () => {
  it('need a way to be read or written, and a regex or a binary field', () => {
    expect(problems(pointSchema, { type: 'number' }, 'p')).toEqual(['p: a point needs read, poll or write']);
    expect(problems(pointSchema, { type: 'number', read: {} }, 'p')).toEqual([
      'p.read: give a regex (text frames), or a prefix and/or field (binary frames), or header fields',
    ]);
    expect(
      problems(pointSchema, { type: 'number', read: { regex: 'x', field: { offset: 0, type: 'uint8' } } }, 'p'),
    ).toEqual(['p.read.field: use either regex or field, not both']);
    expect(problems(pointSchema, { type: 'number', write: { command: 'X', reject: { regex: 'ERR' } } }, 'p')).toEqual([
      'p.write.reject: reject needs a reply pattern',
    ]);
    expect(problems(pointSchema, { type: 'number', read: { regex: 'x', scale: 0 } }, 'p')).toEqual([
      'p.read.scale: must not be 0',
    ]);
  });

  it('check regexes, their named groups and the templates', () => {
    expect(problems(pointSchema, { type: 'number', read: { regex: '^T=(?<t>.*)$', group: 'value' } }, 'p')).toEqual([
      'p.read.group: the regex has no group named "value" (named groups: t)',
    ]);
    expect(problems(pointSchema, { type: 'number', poll: { command: 'READ\\n', reply: { regex: '[' } } }, 'p')).toEqual(
      ['p.poll.reply.regex: invalid regular expression "[": /[/: Unterminated character class'],
    );
    expect(problems(pointSchema, { type: 'number', write: { command: 'SET ${value:int3}' } }, 'p')).toEqual([
      'p.write.command: unknown format "int3" in ${value:int3} (types: uint8, int8, uint16, int16, uint32, int32, float32, float64, bcd8, bcd16, bcd32, with be or le)',
    ]);
    expect(pointSchema.safeParse({ type: 'string', read: { regex: '^(?<value>.*)$', flags: 'g' } }).success).toBe(
      false,
    );
    expect(problems(pointSchema, { type: 'string', read: { regex: '^\\-$', flags: 'u' } }, 'p')).toEqual([
      String.raw`p.read.flags: with flags "u": invalid regular expression "^\\-$": /^\-$/u: Invalid escape`,
    ]);
  });
});
