/**
 * What the loggers record, on the hub: for each enabled logger, the keys its `addresses` select
 * now, the last value it recorded per key (for deadbands and minimum intervals), the latest value
 * held back by a minimum interval, and its periodic sample timer. Rows go to the {@link SampleFeed}.
 */
import type { Quality, SampleRow } from './contract.js';
import { matchAddresses, type Matchable } from './address-match.js';
import { placeTime, recordDecision, type RecentTimes, type Recorded } from './record-policy.js';
import type { LoggerDefinition } from './schema.js';

/** A value as the gateways module reports it. */
export interface ObservedValue {
  key: string;
  value: unknown;
  /** Source time, ms. */
  t: number;
  quality: Quality;
}

interface Active {
  definition: LoggerDefinition;
  keys: Set<string>;
  last: Map<string, Recorded>;
  /** Times stored per key (one sample per millisecond). */
  times: Map<string, RecentTimes>;
  held: Map<string, { value: ObservedValue; timer: ReturnType<typeof setTimeout> }>;
  sampler: ReturnType<typeof setInterval> | undefined;
}

/** What a recorder needs around it. */
export interface RecorderContext {
  /** The site's addresses now. */
  addresses(): readonly Matchable[];
  /** The last value of a key now (for periodic samples). */
  lastValue(key: string): ObservedValue | undefined;
  /** Where rows go. */
  push(row: SampleRow): void;
  now?: () => number;
}

export class Recorder {
  private readonly active = new Map<string, Active>();
  /** Loggers by key, for the hot path. */
  private readonly byKey = new Map<string, Active[]>();
  private readonly now: () => number;

  constructor(private readonly context: RecorderContext) {
    this.now = context.now ?? Date.now;
  }

  /** Start (or restart with new settings) a logger. */
  set(definition: LoggerDefinition): void {
    this.remove(definition.name);
    if (!definition.enabled) return;
    const active: Active = {
      definition,
      keys: new Set(),
      last: new Map(),
      times: new Map(),
      held: new Map(),
      sampler: undefined,
    };
    this.active.set(definition.name, active);
    if (definition.sampleMs !== undefined) active.sampler = setInterval(() => this.sample(active), definition.sampleMs);
    this.resolve();
  }

  remove(name: string): void {
    const active = this.active.get(name);
    if (!active) return;
    clearInterval(active.sampler);
    for (const { timer } of active.held.values()) clearTimeout(timer);
    this.active.delete(name);
    this.resolve();
  }

  /** Keys a logger records now. */
  keysOf(name: string): string[] {
    return [...(this.active.get(name)?.keys ?? [])];
  }

  /** Match every logger's `addresses` again (after addresses were added or removed). */
  resolve(): void {
    const addresses = this.context.addresses();
    this.byKey.clear();
    for (const active of this.active.values()) {
      active.keys = new Set(matchAddresses(active.definition.addresses, addresses).keys);
      for (const key of active.keys) {
        const list = this.byKey.get(key);
        if (list) list.push(active);
        else this.byKey.set(key, [active]);
      }
    }
  }

  /** A value of an address changed. */
  onValue(observed: ObservedValue): void {
    const loggers = this.byKey.get(observed.key);
    if (!loggers) return;
    for (const active of loggers) {
      const decision = recordDecision(
        active.definition.onChange,
        active.last.get(observed.key),
        observed.value,
        observed.t,
      );
      if (decision.action === 'record') this.record(active, observed);
      else if (decision.action === 'defer') this.hold(active, observed, decision.at);
    }
  }

  close(): void {
    for (const name of [...this.active.keys()]) this.remove(name);
  }

  private record(active: Active, observed: ObservedValue): void {
    const held = active.held.get(observed.key);
    if (held) {
      clearTimeout(held.timer);
      active.held.delete(observed.key);
    }
    // One sample per millisecond and address: a value in a millisecond already stored goes to the next free one.
    let times = active.times.get(observed.key);
    if (!times) active.times.set(observed.key, (times = { max: Number.NEGATIVE_INFINITY, order: [], set: new Set() }));
    const t = placeTime(times, observed.t);
    active.last.set(observed.key, { value: observed.value, t: Math.max(t, active.last.get(observed.key)?.t ?? t) });
    this.context.push([active.definition.name, observed.key, t, observed.value, observed.quality]);
  }

  /** Keep the latest value until the minimum interval is over, then record it. */
  private hold(active: Active, observed: ObservedValue, at: number): void {
    const held = active.held.get(observed.key);
    if (held) {
      held.value = observed;
      return;
    }
    const timer = setTimeout(
      () => {
        const entry = active.held.get(observed.key);
        if (!entry || this.active.get(active.definition.name) !== active) return;
        active.held.delete(observed.key);
        this.record(active, entry.value);
      },
      Math.max(0, at - this.now()),
    );
    active.held.set(observed.key, { value: observed, timer });
  }

  private sample(active: Active): void {
    const t = this.now();
    for (const key of active.keys) {
      const last = this.context.lastValue(key);
      if (last) this.record(active, { ...last, t });
    }
  }
}
