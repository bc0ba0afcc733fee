import { describe, expect, it } from 'vitest';
import { isChange } from '../src/change-filter.js';
import { NorthboundError } from '../src/errors.js';
import { encodeSetResult, encodeValue, parseSetCommand } from '../src/plain/payload.js';
import { renderTopic, resultTopic, setTopic } from '../src/plain/topics.js';
import { matcher, publishFilter } from '../src/selection.js';

const json = (b: Buffer): unknown => JSON.parse(b.toString('utf8'));

describe('topics', () => {
  it('renders the template; key slashes become levels; wildcards and NUL become _', () => {
    const fields = { site: 'lab', gateway: '1', key: '4/7/25', id: 'cloud' };
    expect(renderTopic('weble/<site>/<gateway>/<key>', fields)).toBe('weble/lab/1/4/7/25');
    expect(renderTopic('weble/<site>/<gateway>/<key>', { ...fields, key: 'a+b#c\0' })).toBe('weble/lab/1/a_b_c_');
    expect(renderTopic('x/$bridge/<id>', fields)).toBe('x/$bridge/cloud');
    expect(setTopic('t/1')).toBe('t/1/set');
    expect(resultTopic('t/1')).toBe('t/1/set/result');
  });
});

describe('payloads', () => {
  it('encodes {value, quality, ts}; undefined as null', () => {
    expect(json(encodeValue({ key: 'k', value: 21.5, quality: 'good', ts: 5 }))).toEqual({
      value: 21.5,
      quality: 'good',
      ts: 5,
    });
    expect(json(encodeValue({ key: 'k', value: undefined, quality: 'bad', ts: 1 }))).toEqual({
      value: null,
      quality: 'bad',
      ts: 1,
    });
  });

  it('parses {value, id?}; everything else is a NORTHBOUND_BAD_COMMAND naming the topic', () => {
    expect(parseSetCommand(Buffer.from('{"value": 1}'), 't')).toEqual({ value: 1 });
    expect(parseSetCommand(Buffer.from('{"value": {"a": [1]}, "id": "x"}'), 't')).toEqual({
      value: { a: [1] },
      id: 'x',
    });
    expect(parseSetCommand(Buffer.from('{"value": null, "id": 3}'), 't')).toEqual({ value: null, id: 3 });
    for (const bad of ['', '{', '[1]', '1', 'null', '{"val": 1}', '{"value": 1, "id": {}}', '\u0000\u00ff']) {
      const parsed = parseSetCommand(Buffer.from(bad), 'w/t/set');
      expect(parsed).toBeInstanceOf(NorthboundError);
      expect(parsed).toMatchObject({ code: 'NORTHBOUND_BAD_COMMAND', message: expect.stringContaining('w/t/set') });
    }
  });

  it('encodes results: ok, or the error code and message, with the id when given', () => {
    expect(json(encodeSetResult('a', null))).toEqual({ id: 'a', ok: true });
    expect(json(encodeSetResult(undefined, { code: 'DRIVER_BAD_VALUE', message: 'no' }))).toEqual({
      ok: false,
      code: 'DRIVER_BAD_VALUE',
      error: 'no',
    });
    expect(json(encodeSetResult(2, { message: 'boom' }))).toEqual({
      id: 2,
      ok: false,
      code: 'NORTHBOUND_WRITE_FAILED',
      error: 'boom',
    });
  });
});

describe('change filter', () => {
  it('publishes the first value, changes, and numbers only beyond the deadband', () => {
    expect(isChange(undefined, 1, 0)).toBe(true);
    expect(isChange(1, 1, 0)).toBe(false);
    expect(isChange(1, 1.01, 0)).toBe(true);
    expect(isChange(1, 1.4, 0.5)).toBe(false);
    expect(isChange(1, 1.5, 0.5)).toBe(true);
    expect(isChange(1, 0.5, 0.5)).toBe(true);
    expect(isChange(Number.NaN, Number.NaN, 0)).toBe(false);
    expect(isChange('a', 'a', 0)).toBe(false);
    expect(isChange({ a: 1 }, { a: 1 }, 0)).toBe(false);
    expect(isChange({ a: 1 }, { a: 2 }, 0)).toBe(true);
    expect(isChange(1, '1', 0)).toBe(true);
  });
});

describe('selection', () => {
  const a = { key: '4/7/25', gateway: 1, name: 'supply_temp', alias: 'boiler.supply' };
  it('matches patterns against key, name and alias, * as any run', () => {
    expect(matcher(['*'])(a)).toBe(true);
    expect(matcher(['4/7/*'])(a)).toBe(true);
    expect(matcher(['supply_*'])(a)).toBe(true);
    expect(matcher(['boiler.*'])(a)).toBe(true);
    expect(matcher(['boiler'])(a)).toBe(false);
    expect(matcher(['4.7.25'])(a)).toBe(false); // a dot is a dot, not any character
    expect(matcher([])(a)).toBe(false);
  });
  it('filters by gateway when gateways are given', () => {
    expect(publishFilter(['*'], [])(a)).toBe(true);
    expect(publishFilter(['*'], ['1'])(a)).toBe(true);
    expect(publishFilter(['*'], [2])(a)).toBe(false);
  });
});
