/**
 * The `alarms` core module on `supervision`: alarm definitions on addresses (site.yaml `alarms:`
 * and at run time: `insertAlarm`, `updateAlarm`, `deleteAlarm`, events `alarmInserted`,
 * `alarmUpdated`, `alarmDeleted`), their states, `ack(id, comment)` recording who and when, the
 * events `alarmRaised`, `alarmCleared`, `alarmAcknowledged`, and the stored history (`history`).
 * Every method takes a Node-style callback; over the mesh a call without one returns a Promise.
 */
import { EventEmitter } from 'node:events';
import { formatIssues } from '@weble/driver-kit';
import type { Peers } from '@weble/peers-core';
import type { AlarmListing, AlarmsApi, ReplyOf, ServedAlarms } from '@weble/api';
import type { GatewayId } from '../modules/address-book.js';
import type { Quality } from '../modules/value-quality.js';
import { AlarmEngine, type AlarmRuntime } from './alarm-engine.js';
import { callerIdentity } from './caller-identity.js';
import {
  AlarmEvents,
  type AlarmHappening,
  type AlarmRecord,
  type AlarmStatus,
  type AlarmStoreStatus,
} from './contract.js';
import { AlarmsCode, AlarmsError } from './errors.js';
import { ackCommentSchema, alarmSchema, historyQuerySchema, type AlarmDefinition } from './schema.js';
import { acknowledged, cleared, raised } from './state-machine.js';
import type { StoreQuery } from './store/alarm-db.js';
import type { StatusChange, StoreItem } from './store/worker-protocol.js';

type Callback = (error: Error | null, ...results: unknown[]) => void;
/** The callback of method `K` of the API. */
type Reply<K extends keyof AlarmsApi> = ReplyOf<AlarmsApi, K>;

/** Where records and states are kept (the alarm store). */
export interface AlarmHistory {
  write(item: StoreItem): void;
  query(query: StoreQuery): Promise<AlarmRecord[]>;
  status(): AlarmStoreStatus;
}

/** What the module needs around it. */
export interface AlarmsContext {
  hub: Peers;
  /** The key and gateway of an address key, name or alias. */
  resolve(address: string): { key: string; gateway: GatewayId } | undefined;
  /** The last value of an address key and its quality. */
  last(key: string): { value: unknown; quality: Quality } | undefined;
  history: AlarmHistory;
  /** Keep a runtime change (site.yaml): the definition, or undefined when deleted; resolves when kept. */
  persist?(id: string, alarm: AlarmDefinition | undefined): Promise<void>;
}

/** An alarm as listed: its definition, its address key and its state (the API's). */
export type { AlarmListing };

/** The module; its shared methods are the API's (`@weble/api`, checked here by `implements`). */
export class AlarmsModule extends EventEmitter implements ServedAlarms {
  readonly #engine: AlarmEngine;

  constructor(
    private readonly context: AlarmsContext,
    definitions: readonly AlarmDefinition[],
  ) {
    super();
    this.setMaxListeners(0);
    this.#engine = new AlarmEngine({
      resolve: context.resolve,
      last: context.last,
      raise: (alarm, value) => this.#transition(alarm, raised(alarm.status.state), 'raised', { value }),
      clear: (alarm, value) => this.#transition(alarm, cleared(alarm.status.state), 'cleared', { value }),
    });
    for (const d of definitions) this.#engine.set(d);
  }

  // ---- shared methods (Node-style callbacks) ------------------------------------------------

  /** Every alarm with its state. */
  listAlarms(cb: Reply<'listAlarms'>): void {
    cb(null, this.#engine.all().map(listing));
  }

  insertAlarm(input: unknown, cb: Callback): void {
    this.#change('insertAlarm', undefined, input, cb);
  }

  /** Change alarm `id` (the definition's `id` may be left out); its state stays and is evaluated again. */
  updateAlarm(id: string, input: unknown, cb: Callback): void {
    this.#change('updateAlarm', id, input, cb);
  }

  deleteAlarm(id: string, cb: Callback): void {
    const alarm = this.#engine.get(String(id));
    if (!alarm) return cb(this.#unknown('deleteAlarm', id));
    this.#forget(alarm);
    this.#persisted(alarm.definition.id, undefined, cb);
  }

  /** Acknowledge alarm `id` with an optional comment; answers the history record (who, when). */
  ack(id: string, comment: unknown, cb?: Reply<'ack'>): void {
    // Read first: the caller is known during the synchronous part of the call only.
    const who = callerIdentity(this.context.hub.currentCaller());
    if (typeof comment === 'function' && cb === undefined) return this.ack(id, undefined, comment as Reply<'ack'>);
    if (typeof cb !== 'function') return;
    const alarm = typeof id === 'string' ? this.#engine.get(id) : undefined;
    if (!alarm) return cb(this.#unknown('ack', id));
    const text = ackCommentSchema.safeParse(comment ?? undefined);
    if (!text.success)
      return cb(
        new AlarmsError(
          AlarmsCode.BAD_REQUEST,
          `ack ${JSON.stringify(id)}: ${formatIssues(text.error.issues, 'comment').join('; ')}`,
        ),
      );
    const next = acknowledged(alarm.status.state);
    if (!next) {
      const last = alarm.status.ack;
      const why =
        alarm.status.state === 'cleared' ? 'it is cleared and was acknowledged' : 'it was acknowledged already';
      const byWhom = last ? ` (by ${last.by} at ${new Date(last.at).toISOString()})` : '';
      return cb(
        new AlarmsError(
          AlarmsCode.NOT_ACKNOWLEDGEABLE,
          `ack ${JSON.stringify(id)}: nothing to acknowledge: ${why}${byWhom}`,
        ),
      );
    }
    const at = Date.now();
    alarm.status = { ...alarm.status, ack: { ...who, comment: text.data ?? '', at } };
    cb(null, this.#transition(alarm, next, 'acknowledged', { ...who, comment: text.data ?? '' }, at));
  }

  /**
   * The stored history, newest first: `{from, to, address, id, severity, state, event, limit}`
   * (all optional; severity, state and event take one value or a list; limit default 200, at most 5,000).
   */
  history(query: unknown, cb?: Reply<'history'>): void {
    if (typeof query === 'function' && cb === undefined) return this.history(undefined, query as Reply<'history'>);
    if (typeof cb !== 'function') return;
    const parsed = historyQuerySchema.safeParse(query ?? {});
    if (!parsed.success)
      return cb(
        new AlarmsError(AlarmsCode.BAD_REQUEST, `history: ${formatIssues(parsed.error.issues, 'query').join('; ')}`),
      );
    const { address, ...rest } = parsed.data;
    // An address deleted since is still found by its key.
    const key = address === undefined ? undefined : (this.context.resolve(address)?.key ?? address);
    const done = cb;
    this.context.history.query({ ...rest, address: key }).then(
      (records) => done(null, records),
      (error: Error) => done(error),
    );
  }

  /** The history store's health: `{state: 'starting' | 'ok' | 'paused', file, detail, pending, dropped}`. */
  status(cb: Reply<'status'>): void {
    cb(null, this.context.history.status());
  }

  // ---- used by the supervisor (getters and `#` members stay off the mesh) ----------------------

  /** A value (or a new quality) of an address: evaluate its alarms (the hub's value hot path). */
  get observe(): (key: string, value: unknown, quality: Quality) => void {
    return this.#observe;
  }

  /** Made once (the getter runs per value). */
  readonly #observe = (key: string, value: unknown, quality: Quality): void =>
    this.#engine.observe(key, value, quality);

  /** A gateway's state (communication-loss alarms of addresses without a value follow it). */
  get observeGateway(): (gateway: GatewayId, state: string) => void {
    return (gateway, state) => this.#engine.observeGateway(gateway, state);
  }

  /** Addresses changed: resolve the alarms' addresses again. */
  get addressesChanged(): () => void {
    return () => this.#engine.resolveAll();
  }

  /** The definitions now. */
  get definitions(): AlarmDefinition[] {
    return this.#engine.all().map((a) => a.definition);
  }

  /** Why deleting these address keys is refused (an alarm watches one), or undefined. */
  get deleteBlocked(): (keys: string[]) => string | undefined {
    return (keys) => {
      const watcher = this.#engine.all().find((a) => a.key !== undefined && keys.includes(a.key));
      return watcher
        ? `alarm "${watcher.definition.id}" watches ${watcher.key}: change or delete the alarm first`
        : undefined;
    };
  }

  /** The states kept by the store at the last run: taken by alarms not changed since this start. */
  get restore(): (states: StatusChange[]) => void {
    return (states) => {
      for (const [id, status] of states) {
        const alarm = this.#engine.get(id);
        if (!alarm) this.context.history.write({ status: [id, null] });
        if (!alarm || alarm.touched || !alarm.definition.enabled || status === null) continue;
        alarm.status = status;
        this.#engine.reevaluate(alarm);
      }
    };
  }

  /**
   * Take the definitions of a re-read site.yaml (SIGHUP, a restored version): alarms that are gone
   * are deleted, new ones inserted, changed ones updated (keeping their state), each with its event.
   */
  get reload(): (definitions: readonly AlarmDefinition[]) => void {
    return (definitions) => {
      const wanted = new Map(definitions.map((d) => [d.id, d]));
      for (const alarm of this.#engine.all()) if (!wanted.has(alarm.definition.id)) this.#forget(alarm);
      for (const d of definitions) {
        const old = this.#engine.get(d.id);
        if (!old || JSON.stringify(old.definition) !== JSON.stringify(d)) this.#put(d, old !== undefined);
      }
    };
  }

  /** Evaluate every alarm on its address's last value (at start, once the definitions are in). */
  get start(): () => void {
    return () => this.#engine.all().forEach((a) => this.#engine.reevaluate(a));
  }

  /** Stop the on-delay timers. */
  get close(): () => void {
    return () => this.#engine.close();
  }

  // ---- internals ---------------------------------------------------------------------------

  #emitBoth(event: string, ...args: unknown[]): void {
    this.emit(event, ...args);
    this.context.hub.peerEvents().emit(event, ...args);
  }

  #unknown(method: string, id: unknown): AlarmsError {
    return new AlarmsError(AlarmsCode.UNKNOWN_ALARM, `${method}: no alarm with id ${JSON.stringify(id)}`);
  }

  /** Move `alarm` to `next` (nothing when undefined), record it, keep it and tell the mesh. */
  #transition(
    alarm: AlarmRuntime,
    next: AlarmStatus['state'] | undefined,
    event: AlarmHappening,
    extra: Partial<AlarmRecord>,
    at = Date.now(),
  ): AlarmRecord | undefined {
    if (next === undefined) return undefined;
    alarm.touched = true;
    if (event === 'raised') alarm.status = { ...alarm.status, state: next, raisedAt: at, value: extra.value ?? null };
    else if (event === 'cleared')
      alarm.status = { ...alarm.status, state: next, clearedAt: at, value: extra.value ?? null };
    else alarm.status = { ...alarm.status, state: next };
    const d = alarm.definition;
    const record: AlarmRecord = {
      id: d.id,
      event,
      state: next,
      at,
      address: alarm.key ?? d.address,
      severity: d.severity,
      message: alarm.message,
      ...extra,
    };
    this.context.history.write({ record, status: [d.id, alarm.status] });
    this.#emitBoth(EVENT_OF[event], record);
    return record;
  }

  #change(method: 'insertAlarm' | 'updateAlarm', id: string | undefined, input: unknown, cb: Callback): void {
    const given =
      method === 'updateAlarm' && input && typeof input === 'object' && !('id' in input) ? { ...input, id } : input;
    const parsed = alarmSchema.safeParse(given);
    if (!parsed.success)
      return cb(
        new AlarmsError(AlarmsCode.BAD_REQUEST, `${method}: ${formatIssues(parsed.error.issues, 'alarm').join('; ')}`),
      );
    const d = parsed.data;
    if (method === 'updateAlarm' && d.id !== String(id))
      return cb(
        new AlarmsError(
          AlarmsCode.BAD_REQUEST,
          `updateAlarm alarm.id: ${JSON.stringify(d.id)} is not the alarm updated (${JSON.stringify(id)}); delete and insert to rename`,
        ),
      );
    const exists = this.#engine.get(d.id) !== undefined;
    if (method === 'insertAlarm' && exists)
      return cb(
        new AlarmsError(
          AlarmsCode.ALARM_EXISTS,
          `insertAlarm alarm.id: an alarm ${JSON.stringify(d.id)} exists already`,
        ),
      );
    if (method === 'updateAlarm' && !exists) return cb(this.#unknown(method, id));
    if (!this.context.resolve(d.address))
      return cb(
        new AlarmsError(
          AlarmsCode.UNKNOWN_ADDRESS,
          `${method} alarm.address: ${JSON.stringify(d.address)} is no address key, name or alias of the site`,
        ),
      );
    this.#put(d, exists);
    this.#persisted(d.id, d, cb);
  }

  /** Add or replace a definition (its state kept), announce it, then evaluate it. */
  #put(d: AlarmDefinition, exists: boolean): void {
    const alarm = this.#engine.set(d);
    this.#emitBoth(exists ? AlarmEvents.updated : AlarmEvents.inserted, listing(alarm));
    this.#engine.reevaluate(alarm);
  }

  /** Remove an alarm, its kept state, and announce it. */
  #forget(alarm: AlarmRuntime): void {
    this.#engine.remove(alarm.definition.id);
    this.context.history.write({ status: [alarm.definition.id, null] });
    this.#emitBoth(AlarmEvents.deleted, listing(alarm));
  }

  #persisted(id: string, alarm: AlarmDefinition | undefined, cb: Callback): void {
    const persisted = this.context.persist?.(id, alarm) ?? Promise.resolve();
    persisted.then(
      () => cb(null),
      (error: Error) => cb(error),
    );
  }
}

const EVENT_OF: Record<AlarmHappening, string> = {
  raised: AlarmEvents.raised,
  cleared: AlarmEvents.cleared,
  acknowledged: AlarmEvents.acknowledged,
};

function listing(alarm: AlarmRuntime): AlarmListing {
  return { ...alarm.definition, ...alarm.status, message: alarm.message, key: alarm.key ?? null };
}
