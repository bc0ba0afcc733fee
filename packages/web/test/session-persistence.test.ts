/** Sessions kept on disk survive a restart of the web server; the file never holds a usable id. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../src/session-store.js';
import { manualClock, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('SessionStore with a file', () => {
  it('a new store on the same file knows the live sessions, not the expired ones', () => {
    const clock = manualClock();
    const file = join(tmp.dir, 'sessions.jsonl');
    const first = new SessionStore({ file, ttlMs: 1000, now: clock.now });
    const short = first.create('admin', 'web_admin_1');
    clock.advance(600);
    const long = first.create('operator', 'web_operator_2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(short.id);
    expect(text).not.toContain(long.id);
    clock.advance(500); // the first session expired, the second has 500 ms left
    const restarted = new SessionStore({ file, ttlMs: 1000, now: clock.now });
    expect(restarted.get(short.id)).toBeUndefined();
    expect(restarted.get(long.id)).toMatchObject({ id: long.id, username: 'operator', peerName: 'web_operator_2' });
    const forged = `${long.id.slice(0, -1)}${long.id.endsWith('A') ? 'B' : 'A'}`;
    expect(restarted.get(forged)).toBeUndefined();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
