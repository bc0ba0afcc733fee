import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CursorFile } from '../src/store/cursor-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weble-nbc-'));
  dirs.push(dir);
  return dir;
}

describe('CursorFile', () => {
  it('overwrites one fixed-size record in place; a new reader sees the last save', () => {
    const dir = tempDir();
    const file = new CursorFile(dir);
    expect(file.load()).toBeUndefined();
    file.save({ seg: 12, off: 4_194_304, dropped: 9_007_199_254_740_991 });
    file.save({ seg: 3, off: 7, dropped: 0 });
    expect(statSync(join(dir, 'cursor.json')).size).toBe(96);
    expect(new CursorFile(dir).load()).toEqual({ seg: 3, off: 7, dropped: 0 });
    file.close();
  });

  it('reads the unpadded file of earlier versions, and covers it whole on the first save', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'cursor.json'),
      JSON.stringify({ seg: 123_456_789_012, off: 4_000_000, dropped: 123_456_789 }),
    );
    const file = new CursorFile(dir);
    expect(file.load()).toEqual({ seg: 123_456_789_012, off: 4_000_000, dropped: 123_456_789 });
    file.save({ seg: 1, off: 0, dropped: 0 });
    file.close();
    expect(JSON.parse(readFileSync(join(dir, 'cursor.json'), 'utf8'))).toEqual({ seg: 1, off: 0, dropped: 0 });
  });

  it('a file that does not parse is no cursor (the buffer starts at its first segment)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cursor.json'), '{"seg": 1, "of');
    expect(new CursorFile(dir).load()).toBeUndefined();
  });
});
