/**
 * The UI's pure parts: md5 against Node's crypto, value types and parsing for the write dialog,
 * display formats, log line formatting, hash routes, and the session kept across a reload.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatLogLine, formatLogTime, formatTime, formatValue } from '../src/format.js';
import { md5Hex } from '../src/md5.js';
import { decimalSeparator, outOfRange, parseValue, stateText, stateValue, valueTypeOf } from '../src/value-type.js';
import {
  forgetSession,
  loadStoredSession,
  parseStoredSession,
  resumedPeerName,
  STORAGE_KEY,
  storeSession,
  type SessionStorageLike,
} from '../src/stored-session.js';

describe('md5Hex', () => {
  it('matches node:crypto on block edges, UTF-8 and arbitrary strings', () => {
    for (const s of ['', 'a', 'mypassword', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'héllo ✓ 🌡']) {
      expect(md5Hex(s)).toBe(createHash('md5').update(s).digest('hex'));
    }
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        (s) => md5Hex(s) === createHash('md5').update(s).digest('hex'),
      ),
    );
  });
});

describe('point metadata', () => {
  it('limits, state texts and state values', () => {
    expect(outOfRange(31, { min: 5, max: 30 })).toBe('31 is outside 5 .. 30');
    expect(outOfRange(-1, { min: 0 })).toBe('-1 is outside 0 .. ∞');
    expect(outOfRange(30, { min: 5, max: 30 })).toBeUndefined();
    expect(outOfRange(1e9, undefined)).toBeUndefined();
    expect(stateText(2, { states: { 1: 'Off', 2: 'Heat' } })).toBe('Heat');
    expect(stateText(true, { states: { true: 'Running', false: 'Stopped' } })).toBe('Running');
    expect(stateText(3, { states: { 1: 'Off' } })).toBeUndefined();
    expect(stateText('2', { states: { 2: 'Heat' } })).toBeUndefined();
    expect([stateValue('2'), stateValue('true'), stateValue('false'), stateValue('auto')]).toEqual([
      2,
      true,
      false,
      'auto',
    ]);
  });
});

describe('value types', () => {
  it('come from the point, else from the last value', () => {
    expect(valueTypeOf({ type: 'number' }, 'x')).toBe('number');
    expect(valueTypeOf({ type: 'boolean' }, 1)).toBe('boolean');
    expect(valueTypeOf({ type: 'string' }, 1)).toBe('string');
    expect(valueTypeOf({ type: 'json' }, 1)).toBe('json');
    expect(valueTypeOf({ dataType: 'float32' }, null)).toBe('number');
    expect(valueTypeOf({ kind: 'coil' }, null)).toBe('boolean');
    expect(valueTypeOf({ register: 40001 }, 12)).toBe('number');
    expect(valueTypeOf({}, true)).toBe('boolean');
    expect(valueTypeOf(undefined, undefined)).toBe('json');
  });

  it('parse what was typed or say what was expected', () => {
    expect(parseValue('number', ' 21.5 ')).toEqual({ value: 21.5 });
    expect(parseValue('number', 'warm')).toEqual({ error: 'expected a number, got "warm"' });
    expect(parseValue('number', '')).toEqual({ error: 'expected a number, got ""' });
    expect(parseValue('number', 'Infinity')).toMatchObject({ error: expect.any(String) });
    expect(parseValue('number', '21,5', ',')).toEqual({ value: 21.5 });
    expect(parseValue('number', '-0,25', ',')).toEqual({ value: -0.25 });
    expect(parseValue('number', '21.5', ',')).toEqual({ value: 21.5 });
    expect(parseValue('number', '21,5')).toEqual({ error: 'expected a number, got "21,5"' });
    expect(parseValue('number', '1,2,3', ',')).toMatchObject({ error: expect.any(String) });
    expect([decimalSeparator('de-DE'), decimalSeparator('en-US'), decimalSeparator('fr-FR')]).toEqual([',', '.', ',']);
    expect(parseValue('boolean', 'on')).toEqual({ value: true });
    expect(parseValue('boolean', '0')).toEqual({ value: false });
    expect(parseValue('boolean', 'maybe')).toEqual({ error: 'expected true or false, got "maybe"' });
    expect(parseValue('string', ' a ')).toEqual({ value: ' a ' });
    expect(parseValue('json', '{"a":[1]}')).toEqual({ value: { a: [1] } });
    expect(parseValue('json', '{a')).toMatchObject({ error: expect.stringMatching(/^expected JSON: /) });
  });
});

describe('formats', () => {
  it('durations, bytes and values', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(250_000)).toBe('4 min 10 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(61.3 * 1024 * 1024)).toBe('61.3 MiB');
    expect(formatValue(11.199999809265137)).toBe('11.2');
    expect(formatValue(false)).toBe('false');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(undefined)).toBe('—');
    expect(
      formatValue({ value: 11.4, flags: { inAlarm: false, fault: false, overridden: false, outOfService: false } }),
    ).toBe('11.4');
    expect(
      formatValue({ value: true, flags: { inAlarm: true, fault: false, overridden: true, outOfService: false } }),
    ).toBe('true · in alarm, overridden');
    expect(formatValue({ text: 'x'.repeat(100) })).toBe(`{"text":"${'x'.repeat(50)}…`);
  });

  it('times: today as a time, other days with the date', () => {
    const now = new Date(2025, 10, 24, 15, 0, 0);
    expect(formatTime(new Date(2025, 10, 24, 14, 3, 27), now)).toBe('14:03:27');
    expect(formatTime(new Date(2025, 10, 23, 14, 3, 27), now)).toBe('2025-11-23 14:03');
    expect(formatTime('not a date', now)).toBe('—');
  });

  it('log lines: pino JSON made readable, anything else as is', () => {
    const line = JSON.stringify({
      level: 40,
      time: new Date().setHours(14, 3, 27, 0),
      pid: 1,
      hostname: 'h',
      name: 'driver_virtual',
      msg: 'device offline',
      gateway: 2,
      detail: 'stopped',
    });
    const today = formatLogTime(new Date(new Date().setHours(14, 3, 27, 0)));
    expect(today).toMatch(/^\d{4}-\d\d-\d\d 14:03:27\.000$/);
    expect(formatLogLine(line)).toEqual({
      text: `${today} WARN  device offline gateway=2 detail=stopped`,
      level: 'warn',
    });
    const failed = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'read failed',
      err: { type: 'DriverError', message: 'timeout', stack: 'DriverError: timeout\n    at read (x.js:1:2)' },
    });
    expect(formatLogLine(failed)).toEqual({
      text: `${formatLogTime(new Date(0))} ERROR read failed err=DriverError: timeout`,
      level: 'error',
      stack: 'DriverError: timeout\n    at read (x.js:1:2)',
    });
    expect(formatLogLine('--- weble-supervisor: x exited')).toEqual({
      text: '--- weble-supervisor: x exited',
      level: 'plain',
    });
    expect(formatLogLine('{not json')).toEqual({ text: '{not json', level: 'plain' });
  });
});

/** A Storage stand-in over a Map (the page passes sessionStorage). */
function fakeStorage(): SessionStorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  };
}

describe('the stored session', () => {
  const session = {
    id: 'A'.repeat(43),
    username: 'admin',
    ws: 'ws://127.0.0.1:1/peers',
    peer: 'web_admin_0123456789ab',
    expires: 2_000,
  };

  it('keeps exactly what a reload needs, and nothing else', () => {
    const storage = fakeStorage();
    storeSession(storage, { ...session, password: 'secret', connect: '(function(){})' } as typeof session);
    expect(JSON.parse(storage.map.get(STORAGE_KEY)!)).toEqual(session);
    expect(loadStoredSession(storage, 1_999)).toEqual({ state: 'live', session });
  });

  it('an expired one is forgotten; a malformed one is forgotten as none; forgetSession removes it', () => {
    const storage = fakeStorage();
    storeSession(storage, session);
    expect(loadStoredSession(storage, 2_000)).toEqual({ state: 'expired' });
    expect(storage.map.has(STORAGE_KEY)).toBe(false);
    for (const text of [
      '{',
      'null',
      '[]',
      JSON.stringify({ ...session, id: '' }),
      JSON.stringify({ ...session, expires: '2000' }),
      JSON.stringify({ ...session, peer: undefined }),
    ]) {
      storage.map.set(STORAGE_KEY, text);
      expect(loadStoredSession(storage, 0), text).toEqual({ state: 'none' });
      expect(storage.map.has(STORAGE_KEY)).toBe(false);
    }
    expect(parseStoredSession(null)).toBeUndefined();
    storeSession(storage, session);
    forgetSession(storage);
    expect(loadStoredSession(storage, 0)).toEqual({ state: 'none' });
  });

  it('a storage that throws (blocked, full) or is missing loses only the reload', () => {
    const broken: SessionStorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => storeSession(broken, session)).not.toThrow();
    expect(loadStoredSession(broken, 0)).toEqual({ state: 'none' });
    expect(() => forgetSession(broken)).not.toThrow();
    expect(loadStoredSession(undefined, 0)).toEqual({ state: 'none' });
  });

  it('a resumed page takes the bound name with a fresh ~tag of 8 letters and digits', () => {
    expect(resumedPeerName('web_admin_0123456789ab', new Uint8Array([0, 1, 25, 26, 35, 36, 255, 71]))).toBe(
      'web_admin_0123456789ab~abz09ad9',
    );
    const names = new Set(Array.from({ length: 50 }, () => resumedPeerName('web_admin_0123456789ab')));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^web_admin_0123456789ab~[a-z0-9]{8}$/);
  });
});
