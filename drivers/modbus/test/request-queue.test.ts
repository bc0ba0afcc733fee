import { describe, expect, it } from 'vitest';
import { RequestQueue } from '../src/request-queue.js';

/** A job that resolves when the test releases it, recording its start. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { job: async () => void (log.push(name), await done), release: () => release() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request queue', () => {
  it('runs one job at a time, urgent jobs before the next poll request', async () => {
    const queue = new RequestQueue(10);
    const log: string[] = [];
    const [p1, p2, p3] = ['p1', 'p2', 'p3'].map((name) => gate(log, name));
    const cycle = queue.poll('1000', [p1!.job, p2!.job, p3!.job]);
    await settle();
    expect(log).toEqual(['p1']);
    const write = queue.urgent(async () => (log.push('w'), 'written'));
    p1!.release();
    expect(await write).toBe('written');
    expect(log).toEqual(['p1', 'w']);
    await settle();
    expect(log).toEqual(['p1', 'w', 'p2']);
    p2!.release();
    p3!.release();
    await cycle;
    expect(log).toEqual(['p1', 'w', 'p2', 'p3']);
  });

  it('skips and counts a poll group still queued at its next tick', async () => {
    const queue = new RequestQueue(10);
    const log: string[] = [];
    const slow = gate(log, 'slow');
    const first = queue.poll('fast', [slow.job]);
    expect(first).toBeInstanceOf(Promise);
    expect(queue.poll('fast', [slow.job])).toBeUndefined();
    expect(queue.poll('fast', [slow.job])).toBeUndefined();
    expect(queue.poll('other', [async () => void log.push('other')])).toBeInstanceOf(Promise);
    expect(queue.skipped.get('fast')).toBe(2);
    expect(queue.skippedTotal).toBe(2);
    expect(queue.pending).toBe(1);
    slow.release();
    await first;
    await settle();
    expect(log).toEqual(['slow', 'other']);
    expect(queue.poll('fast', [])).toBeInstanceOf(Promise);
  });

  it('bounds the urgent jobs and settles every one on close', async () => {
    const queue = new RequestQueue(2);
    const log: string[] = [];
    const running = gate(log, 'running');
    const first = queue.urgent(running.job);
    await settle();
    const second = queue.urgent(async () => 'b');
    const third = queue.urgent(async () => 'c');
    await expect(queue.urgent(async () => 'd')).rejects.toMatchObject({ code: 'MODBUS_QUEUE_FULL' });
    const cycle = queue.poll('g', [async () => undefined]);
    queue.close(new Error('link closed'));
    await expect(second).rejects.toThrow('link closed');
    await expect(third).rejects.toThrow('link closed');
    await cycle;
    await expect(queue.urgent(async () => 'e')).rejects.toThrow('link closed');
    expect(queue.poll('g', [])).toBeUndefined();
    running.release();
    await first;
  });

  it('a failing poll job does not stop its cycle; a failing urgent job rejects its caller only', async () => {
    const queue = new RequestQueue(5);
    const log: string[] = [];
    await queue.poll('g', [async () => Promise.reject(new Error('boom')), async () => void log.push('next')]);
    expect(log).toEqual(['next']);
    await expect(queue.urgent(async () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    expect(await queue.urgent(async () => 1)).toBe(1);
  });
});
