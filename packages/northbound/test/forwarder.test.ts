import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../src/plain/payload.js';
import { DiskQueue } from '../src/store/disk-queue.js';
import { Forwarder } from '../src/store/forwarder.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sample = (i: number): Sample => ({ key: 'k', value: i, quality: 'good', ts: 1_000 + i });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A forwarder over a real buffer whose sends wait for the test to acknowledge them. */
function setup(window: number) {
  const dir = mkdtempSync(join(tmpdir(), 'weble-nbf-'));
  dirs.push(dir);
  const queue = new DiskQueue({ dir, maxBytes: 1 << 20 });
  const sent: Array<{ value: unknown; ack: (error?: Error & { code?: unknown }) => void }> = [];
  const published: number[] = [];
  const forwarder = new Forwarder(queue, (s, done) => sent.push({ value: s.value, ack: done }), {
    window,
    onPublished: (n) => published.push(n),
  });
  return { queue, sent, published, forwarder };
}

describe('Forwarder', () => {
  it('keeps at most `window` in flight and commits only the acknowledged prefix, in order', () => {
    const { queue, sent, forwarder } = setup(4);
    queue.append(Array.from({ length: 10 }, (_, i) => sample(i)));
    forwarder.setConnected(true);
    expect(sent.map((s) => s.value)).toEqual([0, 1, 2, 3]);
    sent[1]!.ack(); // out of order: nothing is committed before 0 is acknowledged
    expect(queue.count).toBe(10);
    sent[0]!.ack();
    expect(queue.count).toBe(8);
  });

  it('refills the window once per turn of the event loop: the acknowledgements of one read free one batch', async () => {
    const { queue, sent, published, forwarder } = setup(4);
    queue.append(Array.from({ length: 10 }, (_, i) => sample(i)));
    forwarder.setConnected(true);
    for (const s of sent.slice(0, 4)) s.ack();
    expect(sent).toHaveLength(4); // nothing sent per acknowledgement
    expect(published).toEqual([1, 1, 1, 1]);
    await turn();
    expect(sent.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a lost connection: what was in flight is read again from the buffer in the next session', async () => {
    const { queue, sent, forwarder } = setup(3);
    queue.append(Array.from({ length: 5 }, (_, i) => sample(i)));
    forwarder.setConnected(true);
    sent[0]!.ack();
    forwarder.setConnected(false);
    forwarder.reset();
    sent[1]!.ack(); // a late acknowledgement of the old session: ignored
    await turn();
    forwarder.setConnected(true);
    expect(sent.slice(3).map((s) => s.value)).toEqual([1, 2, 3]);
    expect(queue.count).toBe(4);
  });
});
