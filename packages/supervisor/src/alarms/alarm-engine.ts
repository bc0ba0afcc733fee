/**
 * The alarms at run time: each definition with its address resolved to a key, its state, and its
 * on-delay timer. `observe` is on the value hot path of the hub (every value of every address):
 * one map lookup for an address without alarms, a few comparisons per alarm on it; timers, events
 * and records only when an alarm changes state.
 */
import type { GatewayId } from '../modules/address-book.js';
import type { Quality } from '../modules/value-quality.js';
import { evaluate, messageOf, type Verdict } from './condition.js';
import type { AlarmStatus } from './contract.js';
import type { AlarmDefinition } from './schema.js';
import { isActive } from './state-machine.js';

/** One alarm at run time. */
export interface AlarmRuntime {
  definition: AlarmDefinition;
  message: string;
  /** The address key, when the address exists. */
  key: string | undefined;
  gateway: GatewayId | undefined;
  status: AlarmStatus;
  /** Changed since the hub started (a restored state from the store no longer applies). */
  touched: boolean;
  /** The on-delay runs: raised when it ends, with `pendingValue`. */
  timer: ReturnType<typeof setTimeout> | undefined;
  pendingValue: unknown;
}

/** What the engine needs around it. */
export interface EngineHooks {
  /** The key and gateway of an address key, name or alias. */
  resolve(address: string): { key: string; gateway: GatewayId } | undefined;
  /** The last value of an address key and its quality. */
  last(key: string): { value: unknown; quality: Quality } | undefined;
  /** The condition held (for its delay): raise. */
  raise(alarm: AlarmRuntime, value: unknown): void;
  /** The condition ended: clear. */
  clear(alarm: AlarmRuntime, value: unknown): void;
}

/** A fresh status: cleared, never raised. */
export const CLEARED: AlarmStatus = Object.freeze({
  state: 'cleared',
  raisedAt: null,
  clearedAt: null,
  value: null,
  ack: null,
}) as AlarmStatus;

export class AlarmEngine {
  private readonly byId = new Map<string, AlarmRuntime>();
  /** Enabled alarms by address key: what `observe` looks at. */
  private readonly byKey = new Map<string, AlarmRuntime[]>();

  constructor(private readonly hooks: EngineHooks) {}

  get(id: string): AlarmRuntime | undefined {
    return this.byId.get(id);
  }

  all(): AlarmRuntime[] {
    return [...this.byId.values()];
  }

  /** Add or replace an alarm (its state kept when it is replaced); {@link reevaluate} it next. */
  set(definition: AlarmDefinition): AlarmRuntime {
    const old = this.byId.get(definition.id);
    if (old) this.remove(old.definition.id);
    const alarm: AlarmRuntime = {
      definition,
      message: messageOf(definition),
      key: undefined,
      gateway: undefined,
      status: old?.status ?? { ...CLEARED },
      touched: old?.touched ?? false,
      timer: undefined,
      pendingValue: undefined,
    };
    this.byId.set(definition.id, alarm);
    this.#index(alarm);
    return alarm;
  }

  /** Forget an alarm (its timer stopped). */
  remove(id: string): AlarmRuntime | undefined {
    const alarm = this.byId.get(id);
    if (!alarm) return undefined;
    this.#stopTimer(alarm);
    this.#unindex(alarm);
    this.byId.delete(id);
    return alarm;
  }

  /** Addresses were added, changed or removed: resolve every alarm's address again. */
  resolveAll(): void {
    for (const alarm of this.byId.values()) {
      this.#unindex(alarm);
      this.#index(alarm);
    }
  }

  /** Evaluate an alarm on its address's last value now (a disabled alarm clears). */
  reevaluate(alarm: AlarmRuntime): void {
    if (!alarm.definition.enabled || alarm.key === undefined) {
      this.#stopTimer(alarm);
      if (!alarm.definition.enabled && isActive(alarm.status.state)) this.hooks.clear(alarm, alarm.status.value);
      return;
    }
    const last = this.hooks.last(alarm.key);
    if (last)
      this.#apply(alarm, evaluate(alarm.definition, last.value, last.quality, this.#engaged(alarm)), last.value);
  }

  /** A value (or a new quality of the last value) of address `key`: the hot path. */
  observe(key: string, value: unknown, quality: Quality): void {
    const alarms = this.byKey.get(key);
    if (alarms === undefined) return;
    for (const alarm of alarms)
      this.#apply(alarm, evaluate(alarm.definition, value, quality, this.#engaged(alarm)), value);
  }

  /**
   * A gateway's state: communication-loss alarms of its addresses that have no value yet (a
   * device down since the start) follow it (offline or failed: lost; online: back).
   */
  observeGateway(gateway: GatewayId, state: string): void {
    const quality: Quality | undefined =
      state === 'online' ? 'good' : state === 'offline' || state === 'failed' ? 'stale' : undefined;
    if (quality === undefined) return;
    for (const alarm of this.byId.values()) {
      if (alarm.definition.kind !== 'commLoss' || !alarm.definition.enabled || alarm.key === undefined) continue;
      if (String(alarm.gateway) !== String(gateway) || this.hooks.last(alarm.key) !== undefined) continue;
      this.#apply(alarm, quality !== 'good', null);
    }
  }

  /** Stop every timer. */
  close(): void {
    for (const alarm of this.byId.values()) this.#stopTimer(alarm);
  }

  #engaged(alarm: AlarmRuntime): boolean {
    return alarm.timer !== undefined || isActive(alarm.status.state);
  }

  #apply(alarm: AlarmRuntime, verdict: Verdict, value: unknown): void {
    if (verdict === undefined) return;
    const active = isActive(alarm.status.state);
    if (verdict) {
      if (active) return;
      if (alarm.definition.delayMs === 0) return this.hooks.raise(alarm, value);
      alarm.pendingValue = value;
      if (alarm.timer !== undefined) return;
      alarm.timer = setTimeout(() => {
        alarm.timer = undefined;
        if (this.byId.get(alarm.definition.id) === alarm) this.hooks.raise(alarm, alarm.pendingValue);
      }, alarm.definition.delayMs);
      alarm.timer.unref?.();
      return;
    }
    this.#stopTimer(alarm);
    if (active) this.hooks.clear(alarm, value);
  }

  #stopTimer(alarm: AlarmRuntime): void {
    if (alarm.timer === undefined) return;
    clearTimeout(alarm.timer);
    alarm.timer = undefined;
  }

  #index(alarm: AlarmRuntime): void {
    const resolved = this.hooks.resolve(alarm.definition.address);
    alarm.key = resolved?.key;
    alarm.gateway = resolved?.gateway;
    if (!resolved || !alarm.definition.enabled) return;
    const list = this.byKey.get(resolved.key);
    if (list) list.push(alarm);
    else this.byKey.set(resolved.key, [alarm]);
  }

  #unindex(alarm: AlarmRuntime): void {
    if (alarm.key === undefined) return;
    const list = this.byKey.get(alarm.key);
    if (!list) return;
    const rest = list.filter((a) => a !== alarm);
    if (rest.length > 0) this.byKey.set(alarm.key, rest);
    else this.byKey.delete(alarm.key);
  }
}
