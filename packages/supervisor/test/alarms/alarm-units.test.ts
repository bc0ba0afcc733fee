/**
 * The pure parts of the alarms and their configuration: conditions (limits with hysteresis, state
 * matching, communication loss), the four states, the engine's on-delay (timers faked: the test
 * controls time), who a caller is, site.yaml `alarms:` through loadSiteConfig (real files, the
 * real virtual driver) with every problem at its path, and every AlarmsCode in the README.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AlarmEngine, type AlarmRuntime } from '../../src/alarms/alarm-engine.js';
import { callerIdentity, sessionUser } from '../../src/alarms/caller-identity.js';
import { evaluate, matchesState, messageOf } from '../../src/alarms/condition.js';
import { AlarmsCode } from '../../src/alarms/errors.js';
import { alarmSchema, historyQuerySchema, type AlarmInput } from '../../src/alarms/schema.js';
import { acknowledged, cleared, raised } from '../../src/alarms/state-machine.js';
import { matchesQuery } from '../../src/alarms/store/alarm-db.js';
import { loadSiteConfig } from '../../src/config/index.js';
import { tempDirs } from '../fixtures/sites.js';

const alarm = (input: Partial<AlarmInput>) =>
  alarmSchema.parse({ id: 'a', address: 'x', kind: 'high', limit: 80, ...input });

describe('conditions', () => {
  it('raises a high alarm above the limit and clears it only at or below limit - hysteresis', () => {
    const high = alarm({ hysteresis: 2 });
    expect(evaluate(high, 80, 'good', false)).toBe(false);
    expect(evaluate(high, 80.1, 'good', false)).toBe(true);
    expect(evaluate(high, 79, 'good', true)).toBe(true);
    expect(evaluate(high, 78, 'good', true)).toBe(false);
    expect(evaluate(high, 'hot', 'good', true)).toBeUndefined();
    expect(evaluate(high, Number.NaN, 'good', false)).toBeUndefined();
  });

  it('mirrors that for low alarms', () => {
    const low = alarm({ kind: 'low', limit: 10, hysteresis: 1 });
    expect(evaluate(low, 9.9, 'good', false)).toBe(true);
    expect(evaluate(low, 10.5, 'good', true)).toBe(true);
    expect(evaluate(low, 11, 'good', true)).toBe(false);
  });

  it('matches states: booleans (numbers non-zero), numbers and text', () => {
    expect(matchesState(true, true)).toBe(true);
    expect(matchesState(1, true)).toBe(true);
    expect(matchesState(0, false)).toBe(true);
    expect(matchesState('true', true)).toBe(true);
    expect(matchesState(null, true)).toBe(false);
    expect(matchesState(3, 3)).toBe(true);
    expect(matchesState('3', 3)).toBe(true);
    expect(matchesState('fault', 'fault')).toBe(true);
    expect(evaluate(alarm({ kind: 'state', limit: undefined }), true, 'good', false)).toBe(true);
  });

  it('sees communication loss in the quality only', () => {
    const loss = alarm({ kind: 'commLoss', limit: undefined });
    expect(evaluate(loss, 1, 'good', false)).toBe(false);
    for (const q of ['stale', 'bad', 'uncertain'] as const) expect(evaluate(loss, 1, q, false)).toBe(true);
    expect(messageOf(loss)).toBe('x: communication lost');
    expect(messageOf(alarm({}))).toBe('x above 80');
  });
});

describe('states', () => {
  it('moves through the four states', () => {
    expect(raised('cleared')).toBe('active-unacknowledged');
    expect(raised('cleared-unacknowledged')).toBe('active-unacknowledged');
    expect(raised('active-acknowledged')).toBeUndefined();
    expect(cleared('active-unacknowledged')).toBe('cleared-unacknowledged');
    expect(cleared('active-acknowledged')).toBe('cleared');
    expect(cleared('cleared')).toBeUndefined();
    expect(acknowledged('active-unacknowledged')).toBe('active-acknowledged');
    expect(acknowledged('cleared-unacknowledged')).toBe('cleared');
    expect(acknowledged('active-acknowledged')).toBeUndefined();
    expect(acknowledged('cleared')).toBeUndefined();
  });
});

describe('the engine', () => {
  afterEach(() => vi.useRealTimers());

  it('raises after the on-delay only if the condition held all along, with the latest value', () => {
    vi.useFakeTimers();
    const events: string[] = [];
    const engine: AlarmEngine = new AlarmEngine({
      resolve: (a) => (a === 'x' ? { key: 'k', gateway: 1 } : undefined),
      last: () => undefined,
      raise: (a: AlarmRuntime, v) => (
        events.push(`raise ${String(v)}`),
        (a.status = { ...a.status, state: 'active-unacknowledged' })
      ),
      clear: (a: AlarmRuntime, v) => (
        events.push(`clear ${String(v)}`),
        (a.status = { ...a.status, state: 'cleared' })
      ),
    });
    engine.set(alarm({ delayMs: 1000 }));
    engine.observe('k', 90, 'good');
    vi.advanceTimersByTime(999);
    engine.observe('k', 70, 'good'); // dropped out before the delay: no raise
    vi.advanceTimersByTime(5000);
    expect(events).toEqual([]);
    engine.observe('k', 90, 'good');
    engine.observe('k', 95, 'good');
    vi.advanceTimersByTime(1000);
    expect(events).toEqual(['raise 95']);
    engine.observe('k', 70, 'good');
    expect(events).toEqual(['raise 95', 'clear 70']);
    engine.observe('other', 99, 'good');
    expect(events).toHaveLength(2);
  });
});

describe('who calls', () => {
  it('names the user of a web session, else the peer', () => {
    expect(sessionUser('web_admin_1a2b3c4d5e6f')).toBe('admin');
    expect(sessionUser('web_jo_smith_1a2b3c4d5e6f~k3j9')).toBe('jo_smith');
    expect(sessionUser('logic_thermostat')).toBeUndefined();
    expect(callerIdentity('web_op_00112233aabb~t1')).toEqual({ by: 'op', peer: 'web_op_00112233aabb~t1' });
    expect(callerIdentity('web_op_00112233aabb@north')).toEqual({ by: 'op@north', peer: 'web_op_00112233aabb@north' });
    expect(callerIdentity('logic_pumps')).toEqual({ by: 'logic_pumps', peer: 'logic_pumps' });
    expect(callerIdentity(undefined)).toEqual({ by: 'supervision', peer: 'supervision' });
  });
});

describe('history queries', () => {
  it('validate with paths and filter the same way as the store', () => {
    const bad = historyQuerySchema.safeParse({ from: 10, to: 5, severity: 'loud', limit: 0, colour: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['severity', 'limit', '']));
    const q = historyQuerySchema.parse({ severity: 'critical', event: ['raised', 'cleared'] });
    const record = {
      id: 'a',
      event: 'raised',
      state: 'active-unacknowledged',
      at: 5,
      address: 'k',
      severity: 'critical',
      message: 'm',
    } as const;
    expect(matchesQuery(record, { ...q, address: 'k' })).toBe(true);
    expect(matchesQuery({ ...record, severity: 'minor' }, q)).toBe(false);
    expect(matchesQuery({ ...record, event: 'acknowledged' }, q)).toBe(false);
  });
});

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('site.yaml alarms', () => {
  const BASE = `gateways: [{ id: 1, type: virtual, config: {} }]
addresses:
  - { key: "1/0/1", gateway: 1, name: supply, point: { type: number } }
`;
  it('fills in defaults', async () => {
    const dir = await dirs.make({
      'site.yaml': `${BASE}alarms: [{ id: hot, address: supply, kind: high, limit: 80 }]\n`,
    });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.alarms).toEqual([
      { id: 'hot', address: 'supply', kind: 'high', limit: 80, delayMs: 0, severity: 'major', enabled: true },
    ]);
  });

  it('reports every problem with its path: an unknown address, a duplicate id, a missing limit', async () => {
    const dir = await dirs.make({
      'site.yaml': `${BASE}alarms:
  - { id: hot, address: no/such, kind: high, limit: 80 }
  - { id: hot, address: supply, kind: low }
  - { id: "bad id", address: supply, kind: state, limit: 1, equals: true, severity: loud }
  - { id: lost, address: supply, kind: commLoss, equals: 1, colour: red }
`,
    });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (result.ok) throw new Error('expected problems');
    const text = result.problems.join('\n');
    expect(text).toContain('alarms[0].address: no address with key, name or alias "no/such"');
    expect(text).toContain('alarms[1].id: duplicate alarm id "hot" (first at alarms[0])');
    expect(text).toContain('alarms[1].limit: a low alarm needs a limit');
    expect(text).toMatch(/alarms\[2\]\.id: expected 1-64 letters/);
    expect(text).toMatch(/alarms\[2\]\.severity: /);
    expect(text).toContain('alarms[3].colour: unknown key');
  });
});

describe('alarms errors', () => {
  it('every AlarmsCode is documented in the package README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.values(AlarmsCode)) expect(readme, code).toContain(`\`${code}\``);
  });
});
