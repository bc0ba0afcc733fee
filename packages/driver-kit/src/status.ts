/**
 * The device state of a gateway and the counters reported by `driver.status()`. A state change
 * is reported once (the caller emits `gatewayState <id>`); the same state again is no change.
 */
import type { DeviceState } from './definition.js';

/** What `driver.status()` returns. */
export interface DriverStatus {
  /** Device connection state. */
  state: DeviceState;
  /** When `state` was entered. */
  since: Date;
  /** Human detail of the state (`connect failed: ...; retry in 400 ms`). */
  detail?: string;
  /** The last device error while not online, as text. */
  error?: string;
  /** Values reported (`newValue` events). */
  values: number;
  /** Reads through the `driver` module. */
  reads: number;
  /** Writes through the `driver` module. */
  writes: number;
  /** Failed device operations: connects, reads, writes, polled reads. */
  errors: number;
  /** Poll cycles run. */
  polls: number;
}

/** Counters that only grow. */
export interface Counters {
  reads: number;
  writes: number;
  errors: number;
  polls: number;
}

export class StatusTracker {
  readonly counters: Counters = { reads: 0, writes: 0, errors: 0, polls: 0 };
  private state: DeviceState = 'offline';
  private since: Date;
  private detail: string | undefined;
  private error: string | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  get current(): DeviceState {
    return this.state;
  }

  /** Record a state; returns true when it differs from the current one (then report it). */
  set(state: DeviceState, detail?: string, error?: Error): boolean {
    const changed = state !== this.state;
    if (changed) this.since = this.now();
    this.state = state;
    this.detail = detail;
    // The last error stays visible while reconnecting, until the device is online again.
    this.error = state === 'online' ? undefined : (error?.message ?? this.error);
    return changed;
  }

  /** A copy of the status, with `values` from the value store. */
  snapshot(values: number): DriverStatus {
    return {
      state: this.state,
      since: this.since,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      values,
      ...this.counters,
    };
  }
}
