import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { NAME_PATTERN } from '@weble/peers-core';
import { PEER_NAME_PATTERN, configMessageSchema, parseDriverConfig, parseDriverEnv } from '../src/schemas.js';
import { formatIssues, formatPath } from '../src/issues.js';

const definition = {
  type: 'test',
  configSchema: z.object({ tickMs: z.number() }),
  pointSchema: z.discriminatedUnion('type', [
    z.object({ type: z.literal('number') }),
    z.object({ type: z.literal('boolean') }),
  ]),
};

describe('formatPath', () => {
  it('writes indexes in brackets, names with dots and quotes odd keys', () => {
    expect(formatPath(['addresses', 2, 'point', 'type'])).toBe('addresses[2].point.type');
    expect(formatPath(['values', '4/7/25'])).toBe('values["4/7/25"]');
    expect(formatPath(['tickMs'], 'gateways[0].config')).toBe('gateways[0].config.tickMs');
    expect(formatPath([])).toBe('(root)');
  });
});

describe('parseDriverConfig', () => {
  it('accepts a valid configuration, with or without the message type', () => {
    const document = {
      gateway: { id: 3, type: 'test', name: 'lab', config: { tickMs: 5 } },
      addresses: [{ key: '1/1/1', point: { type: 'number' } }],
    };
    expect(parseDriverConfig(definition, document)).toEqual({ ok: true, value: document });
    expect(parseDriverConfig(definition, { type: 'weble:config', ...document })).toEqual({ ok: true, value: document });
    expect(configMessageSchema(definition).safeParse({ type: 'weble:config', ...document }).success).toBe(true);
  });

  it('reports every problem with its path', () => {
    const result = parseDriverConfig(definition, {
      gateway: { id: 'bad id!', type: 'modbus', config: { tickMs: 'fast' } },
      addresses: [
        { key: 'a', point: { type: 'number' } },
        { key: 'a', point: { type: 'number' } },
        { key: '', point: { type: 'string' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'gateway.id: expected 1-64 letters, digits, _ or -',
      'gateway.type: expected "test"',
      'gateway.config.tickMs: expected number, received string',
      'addresses[2].key: Too small: expected string to have >=1 characters',
      'addresses[2].point.type: expected one of "number" | "boolean"',
      'addresses[1].key: duplicate key "a" (first at addresses[0])',
    ]);
  });

  it('reports a document that is not an object', () => {
    expect(parseDriverConfig(definition, 42)).toEqual({
      ok: false,
      problems: ['(root): expected object, received number'],
    });
  });
});

describe('parseDriverEnv', () => {
  it('needs WEBLE_HUB and a valid WEBLE_PEER_NAME', () => {
    expect(parseDriverEnv({ WEBLE_HUB: '/run/hub.sock' })).toEqual({ ok: true, value: { WEBLE_HUB: '/run/hub.sock' } });
    const bad = parseDriverEnv({ WEBLE_PEER_NAME: 'no spaces' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toMatch(/^env\.WEBLE_HUB: required/);
    expect(bad.problems[1]).toMatch(/^env\.WEBLE_PEER_NAME: /);
  });

  it("checks WEBLE_PEER_NAME with peers-core's own pattern (the kit keeps a copy to stay off its main entry)", () => {
    expect(PEER_NAME_PATTERN.source).toBe(NAME_PATTERN.source);
    expect(PEER_NAME_PATTERN.flags).toBe(NAME_PATTERN.flags);
  });
});

describe('formatIssues', () => {
  it('keeps messages of other issue kinds as zod wrote them', () => {
    const result = z.object({ n: z.number().max(3) }).safeParse({ n: 9 });
    expect(formatIssues(result.error!.issues)).toEqual(['n: Too big: expected number to be <=3']);
  });
});
