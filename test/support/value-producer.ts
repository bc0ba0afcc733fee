/**
 * Drives values through a real site at a steady rate: `gateways.writeValue` on a few virtual
 * addresses in turn, each address counting up 1, 2, 3... so a subscriber can tell every value and
 * its order. Paced by the clock (values due so far), not by sleeping.
 */
import type { Peers } from '@weble/peers-core';

export class ValueProducer {
  /** Last value written per address. */
  readonly last: Map<string, number>;
  /** Values written so far (all addresses). */
  written = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private outstanding = new Set<Promise<unknown>>();
  private errors: Error[] = [];
  private startedAt = 0;
  private writtenAtStart = 0;
  private next = 0;

  constructor(
    private readonly client: Peers,
    readonly keys: string[],
    /** Values per second, all addresses together. */
    private readonly rate: number,
  ) {
    this.last = new Map(keys.map((k) => [k, 0]));
  }

  /** Start (or resume) writing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = performance.now();
    this.writtenAtStart = this.written;
    this.tick();
  }

  /** Stop writing and wait for every write to be answered; rejects on a failed write. */
  async pause(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.outstanding);
    if (this.errors.length > 0) throw this.errors[0];
  }

  private tick(): void {
    if (!this.running) return;
    const due =
      Math.floor(((performance.now() - this.startedAt) * this.rate) / 1000) - (this.written - this.writtenAtStart);
    for (let i = 0; i < Math.min(due, this.rate); i++) {
      const key = this.keys[this.next++ % this.keys.length]!;
      const value = this.last.get(key)! + 1;
      this.last.set(key, value);
      this.written++;
      const call = this.client('supervision').call('gateways', 'writeValue', [key, value], { timeoutMs: 30_000 });
      this.outstanding.add(call);
      call.then(
        () => this.outstanding.delete(call),
        (error: Error) => {
          this.outstanding.delete(call);
          this.errors.push(error);
        },
      );
    }
    this.timer = setTimeout(() => this.tick(), 2); // pacing of the loop; the count comes from the clock
  }
}

/**
 * Check one address's received values: every value from `from` to `to` at least once, in order.
 * A value at or below the highest seen so far is a repeat (allowed); above it, it must be the next one.
 * Returns the problems (empty when fine) and the number of repeats.
 */
export function checkSequence(received: number[], from: number, to: number): { problems: string[]; repeats: number } {
  const problems: string[] = [];
  let max = from - 1;
  let repeats = 0;
  for (const v of received) {
    if (v < from) continue;
    if (v <= max) repeats++;
    else if (v === max + 1) max = v;
    else {
      problems.push(`after ${max} came ${v} (${v - max - 1} missing or out of order)`);
      max = v;
    }
    if (problems.length > 5) break;
  }
  if (max < to) problems.push(`last value ${max}, expected ${to}`);
  return { problems, repeats };
}
