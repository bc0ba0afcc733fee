import { mkdtempSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../src/plain/payload.js';
import { DiskQueue } from '../src/store/disk-queue.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weble-nbq-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sample = (i: number, key = 'k'): Sample => ({ key, value: i, quality: 'good', ts: 1_000 + i });

/** Read and commit everything in batches of `batch`; the values in order. */
function drain(queue: DiskQueue, batch = 7): number[] {
  const out: number[] = [];
  for (let items = queue.next(batch); items.length > 0; items = queue.next(batch)) {
    out.push(...items.map((x) => x.sample.value as number));
    queue.commit(items[items.length - 1]!.end, items.length);
  }
  return out;
}

describe('DiskQueue', () => {
  it('gives values back in order across segments and counts them', () => {
    const q = new DiskQueue({ dir: tempDir(), maxBytes: 1 << 20, segmentBytes: 256 });
    for (let i = 0; i < 100; i += 10) q.append(Array.from({ length: 10 }, (_, j) => sample(i + j)));
    expect(q.count).toBe(100);
    expect(drain(q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(q.count).toBe(0);
    q.close();
  });

  it('keeps what was not committed across a reopen (a restart), and only that', () => {
    const dir = tempDir();
    const a = new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 300 });
    a.append(Array.from({ length: 50 }, (_, i) => sample(i)));
    const first = a.next(20);
    a.commit(first[first.length - 1]!.end, 20);
    a.next(10); // read, not committed: comes again
    a.close();
    const b = new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 300 });
    expect(b.count).toBe(30);
    b.append([sample(50)]);
    expect(drain(b)).toEqual(Array.from({ length: 31 }, (_, i) => i + 20));
    b.close();
  });

  it('without close (a SIGKILL): appended values are all there; committed ones at most come again', () => {
    const dir = tempDir();
    const a = new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 300, cursorSaveMs: 60_000 });
    a.append(Array.from({ length: 40 }, (_, i) => sample(i)));
    const items = a.next(15);
    a.commit(items[items.length - 1]!.end, 15); // cursor not saved yet
    const b = new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 300 });
    expect(drain(b)).toEqual(Array.from({ length: 40 }, (_, i) => i)); // the 15 again, then the rest
    b.close();
    a.close();
  });

  it('drops the oldest segment when full, counts the drop, keeps the newest', () => {
    const dir = tempDir();
    const q = new DiskQueue({ dir, maxBytes: 2000, segmentBytes: 500 });
    let dropped = 0;
    for (let i = 0; i < 200; i++) dropped += q.append([sample(i)]);
    expect(dropped).toBeGreaterThan(0);
    expect(q.dropped).toBe(dropped);
    expect(q.bytes).toBeLessThanOrEqual(2000);
    expect(q.count + q.dropped).toBe(200);
    const left = drain(q);
    expect(left.length).toBe(200 - dropped);
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => 200 - left.length + i)); // the newest, in order
    q.close();
    expect(new DiskQueue({ dir, maxBytes: 2000, segmentBytes: 500 }).dropped).toBe(dropped); // kept across restarts
  });

  it('rewind sends again what was read and not committed', () => {
    const q = new DiskQueue({ dir: tempDir(), maxBytes: 1 << 20 });
    q.append([sample(1), sample(2), sample(3)]);
    const [one] = q.next(1);
    q.commit(one!.end, 1);
    q.next(5);
    q.rewind();
    expect(drain(q)).toEqual([2, 3]);
  });

  it('skips a torn last line (a crash in the middle of a write) and counts it', () => {
    const dir = tempDir();
    const a = new DiskQueue({ dir, maxBytes: 1 << 20 });
    a.append([sample(1), sample(2)]);
    a.close();
    const seg = readdirSync(dir).find((f) => f.endsWith('.seg'))!;
    appendFileSync(join(dir, seg), '["k",3,"go');
    appendFileSync(join(dir, seg), '\n');
    const b = new DiskQueue({ dir, maxBytes: 1 << 20 });
    b.append([sample(4)]);
    expect(drain(b)).toEqual([1, 2, 4]);
    expect(b.corrupt).toBe(1);
  });

  it('property: any interleaving of appends, reads, commits and reopens loses nothing and keeps order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 20 }) }),
            fc.record({ op: fc.constant('read' as const), n: fc.integer({ min: 1, max: 30 }) }),
            fc.record({ op: fc.constant('reopen' as const), n: fc.constant(0) }),
          ),
          { maxLength: 40 },
        ),
        (ops) => {
          const dir = tempDir();
          const open = (): DiskQueue => new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 200 });
          let q = open();
          let next = 0;
          const seen: number[] = [];
          for (const { op, n } of ops) {
            if (op === 'append') {
              q.append(Array.from({ length: n }, () => sample(next++)));
            } else if (op === 'read') {
              const items = q.next(n);
              if (items.length > 0) q.commit(items[items.length - 1]!.end, items.length);
              seen.push(...items.map((x) => x.sample.value as number));
            } else {
              q.close();
              q = open();
            }
          }
          seen.push(...drain(q));
          q.close();
          expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
        },
      ),
      { numRuns: 60 },
    );
  });
});
