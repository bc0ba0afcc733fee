/**
 * The audit trail's pieces on a real SQLite file: alarm acknowledgements from the `alarms`
 * module's `alarmAcknowledged` event (an EventEmitter as the module is one; the event's shape is
 * the one the module emits: {id, by, comment, at}), the CSV export that keeps spreadsheet formulas
 * as text, and entries kept in memory while the file cannot be opened.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { UserDirectory } from '../src/access/callers.js';
import { auditCsv } from '../src/audit/audit-csv.js';
import { AuditStore } from '../src/audit/audit-store.js';
import { AuditTrail } from '../src/audit/audit-trail.js';

const dir = mkdtempSync(join(tmpdir(), 'weble-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = pino({ level: 'silent' });

describe('the audit store', () => {
  it('records alarm acknowledgements by the user of the acknowledging session', () => {
    const store = new AuditStore(join(dir, 'a'), log);
    const trail = new AuditTrail(store, new UserDirectory([{ username: 'otto', role: 'operator' }]));
    const alarms = new EventEmitter();
    const stop = trail.followAlarms(alarms);
    alarms.emit('alarmAcknowledged', {
      id: 'boiler-high',
      by: 'web_otto_0123456789ab',
      comment: 'burner checked',
      at: 1_700_000_000_000,
    });
    alarms.emit('alarmAcknowledged', { id: 7, by: 'logic_night', comment: '', at: '2026-01-02T03:04:05.000Z' });
    stop();
    alarms.emit('alarmAcknowledged', { id: 'after-stop', by: 'x' });
    expect(store.query({ action: 'alarm-ack' })).toMatchObject([
      {
        at: Date.parse('2026-01-02T03:04:05.000Z'),
        user: 'logic_night',
        role: null,
        target: '7',
        detail: { comment: '' },
        result: 'ok',
      },
      {
        at: 1_700_000_000_000,
        user: 'otto',
        peer: 'web_otto_0123456789ab',
        role: 'operator',
        target: 'boiler-high',
        detail: { comment: 'burner checked' },
      },
    ]);
    store.close();
  });

  it('exports CSV with quoting, and a cell that a spreadsheet would run as a formula kept as text', () => {
    const csv = auditCsv([
      {
        at: 0,
        user: '=HYPERLINK("x")',
        peer: 'p',
        role: null,
        action: 'write',
        target: 'a,b',
        detail: { value: 'say "hi"' },
        result: 'ok',
      },
    ]);
    expect(csv).toBe(
      'time,user,role,peer,action,target,result,detail,message\n' +
        '1970-01-01T00:00:00.000Z,"\'=HYPERLINK(""x"")",,p,write,"a,b",ok,"{""value"":""say \\""hi\\""""}",\n',
    );
  });

  it('keeps entries in memory while its file cannot be opened, says why, and writes them once it can', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const store = new AuditStore(blocked, log, { retryMs: 60_000 });
    store.append({ at: 1, user: 'u', peer: 'p', role: null, action: 'process', target: 'x', result: 'ok' });
    expect(store.status()).toMatchObject({
      state: 'failing',
      pending: 1,
      detail: expect.stringMatching(/EEXIST|ENOTDIR/),
    });
    expect(() => store.query({})).toThrow(expect.objectContaining({ code: 'AUDIT_STORE_DOWN' }));
    rmSync(blocked);
    store.append({ at: 2, user: 'u', peer: 'p', role: null, action: 'process', target: 'y', result: 'ok' });
    expect(store.status()).toMatchObject({ state: 'ok', pending: 0 });
    expect(store.query({}).map((e) => e.target)).toEqual(['y', 'x']);
    store.close();
  });
});
