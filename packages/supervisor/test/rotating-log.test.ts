import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineTail, RotatingLog } from '../src/process/rotating-log.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RotatingLog', () => {
  it('never lets a file pass maxBytes and keeps at most `keep` old files', () => {
    dir = mkdtempSync(join(tmpdir(), 'weble-log-'));
    const log = new RotatingLog({ dir, maxBytes: 100, keep: 2 }, 'driver_virtual_1');
    for (let i = 0; i < 50; i++) log.write(`line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}\n`);
    log.write('y'.repeat(500));
    log.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['driver_virtual_1.log', 'driver_virtual_1.log.1', 'driver_virtual_1.log.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(100);
    expect(readFileSync(join(dir, 'driver_virtual_1.log'), 'utf8')).toBe('y'.repeat(100));
    expect(readFileSync(join(dir, 'driver_virtual_1.log.1'), 'utf8')).toContain('line 049');
  });
});

describe('LineTail', () => {
  it('keeps the last lines across chunk boundaries', () => {
    const tail = new LineTail(3);
    tail.push('a\nb');
    tail.push('c\nd\ne\nf');
    expect(tail.get()).toEqual(['d', 'e', 'f']);
  });
});
