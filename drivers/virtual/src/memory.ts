/**
 * The "device" of the virtual driver: a map of values in memory. Plain points hold what was
 * written; simulated points are sampled from their simulation at the time of the read.
 */
import { DriverCode, DriverError, type Address } from '@weble/driver-kit';
import type { VirtualPoint } from './schemas.js';
import { initialValue } from './initial-value.js';
import { sineAt, toggleAt, walkStart, walkTo, type WalkState } from './simulation.js';

/** Options of a {@link VirtualMemory}. */
export interface MemoryOptions {
  /** Time between two random-walk steps, ms. */
  tickMs: number;
  now?: () => number;
  random?: () => number;
}

export class VirtualMemory {
  private readonly values = new Map<string, unknown>();
  private readonly walks = new Map<string, WalkState>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    addresses: ReadonlyArray<Readonly<Address<VirtualPoint>>>,
    private readonly options: MemoryOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const t = this.now();
    for (const { key, point } of addresses) {
      if (point.type === 'number' && point.simulate?.kind === 'random-walk')
        this.walks.set(key, walkStart(point.simulate, t));
      else this.values.set(key, initialValue(point));
    }
  }

  /** The value of `key` now. */
  read(key: string, point: VirtualPoint): unknown {
    const t = this.now();
    if (point.type === 'number' && point.simulate) {
      const sim = point.simulate;
      if (sim.kind === 'sine') return sineAt(sim, t);
      const state = walkTo(sim, this.walks.get(key) ?? walkStart(sim, t), t, this.options.tickMs, this.random);
      this.walks.set(key, state);
      return state.value;
    }
    if (point.type === 'boolean' && point.simulate) return toggleAt(point.simulate, t);
    return this.values.get(key);
  }

  /** Store a value (already type-checked by the kit). Simulated points are read-only. */
  write(key: string, point: VirtualPoint, value: unknown): void {
    if ((point.type === 'number' || point.type === 'boolean') && point.simulate) {
      throw new DriverError(
        DriverCode.READ_ONLY,
        `address ${JSON.stringify(key)} is simulated (${point.simulate.kind}) and cannot be written`,
      );
    }
    this.values.set(key, structuredClone(value));
  }
}
