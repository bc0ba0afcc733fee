/**
 * The `gateways` core module on `supervision`: gateways and addresses, reads and writes routed to
 * the right driver, last values, and the events integrators listen to: `newValue <key|name|alias>`
 * `(address, value, value_string, value_date)`, `gatewayState <id>`, and lifecycle events.
 */
import { EventEmitter } from 'node:events';
import { DRIVER_MODULE, type PointInfo } from '@weble/driver-kit';
import { driverPeerName, GatewaysError, type GatewayControl, type GatewayEntry } from './gateways-contract.js';
import type { Peers } from '@weble/peers-core';
import type { GatewaysApi, ReplyOf, ServedGateways } from '@weble/api';
import { PointMetadata } from './point-metadata.js';
import { AddressBook, type AddressEntry, type GatewayId } from './address-book.js';
import { FreshnessWatch } from './freshness-watch.js';
import { callDriver, DriverLinks, gatewayListeners, type DriverListener } from './driver-link.js';
import { staleReason, ValueEvents, type Quality } from './value-quality.js';

/** The callback of method `K` of the API. */
type Reply<K extends keyof GatewaysApi> = ReplyOf<GatewaysApi, K>;

export { driverPeerName, GatewaysError, type GatewayControl, type GatewayEntry } from './gateways-contract.js';

/** The module; its shared methods are the API's (`@weble/api`, checked here by `implements`). */
export class GatewaysModule extends EventEmitter implements ServedGateways {
  readonly book: AddressBook;
  private readonly gateways = new Map<string, GatewayEntry>();
  private readonly states = new Map<string, { state: string; detail?: string }>();
  /** What is known of each address's point besides its value. */
  private readonly metadata: PointMetadata;
  /** Per driver peer: the listeners registered on its `driver` module, by event name. */
  private readonly driverLinks: DriverLinks;
  /** Stale when not refreshed within 3 read periods (docs/gateways.md). */
  private readonly freshness: FreshnessWatch;

  constructor(
    private readonly peers: Peers,
    gateways: GatewayEntry[],
    addresses: AddressEntry[],
    private readonly control: GatewayControl,
  ) {
    super();
    this.setMaxListeners(0);
    this.book = new AddressBook(addresses);
    this.driverLinks = new DriverLinks(peers);
    for (const g of gateways) this.gateways.set(String(g.id), g);
    this.metadata = new PointMetadata((address) => {
      const gateway = this.gateways.get(String(address.gateway));
      return gateway ? this.control.describePoint?.(address, gateway) : undefined;
    });
    this.freshness = new FreshnessWatch({
      ask: (id, keys) => {
        const g = this.gateways.get(id);
        return g
          ? this.peers(driverPeerName(g))
              .call(DRIVER_MODULE, 'refreshed', [keys])
              .then(([times]) => times as Array<number | null>)
          : Promise.reject(new Error('gone'));
      },
      quality: (key) => {
        const last = this.book.getLast(key);
        return last && { quality: last.quality ?? 'good', reason: last.reason };
      },
      setQuality: (key, quality, reason) => this.#setQuality(key, quality, reason, quality === 'stale'),
      unanswered: (id, keys) => this.gateways.has(id) && this.control.unanswered?.(this.gateways.get(id)!, keys),
    });
    for (const a of addresses) this.watchFreshness(a);
    peers.on('connect', (name: string) => this.onPeer(name));
  }

  // ---- shared methods (Node-style callbacks) ------------------------------------------------

  listGateways(cb: Reply<'listGateways'>): void {
    cb(
      null,
      [...this.gateways.values()].map((g) => ({ ...g, state: this.states.get(String(g.id))?.state ?? 'unknown' })),
    );
  }

  getGateway(id: GatewayId, cb: Reply<'getGateway'>): void {
    const g = this.gateways.get(String(id));
    if (!g) return cb(new GatewaysError('UNKNOWN_GATEWAY', `no gateway with id ${JSON.stringify(id)}`));
    cb(null, { ...g, state: this.states.get(String(g.id))?.state ?? 'unknown' });
  }

  listAddresses(cb: Reply<'listAddresses'>): void {
    cb(
      null,
      this.book.all().map((a) => ({ ...a, info: this.infoOf(a), last: this.book.getLast(a.key) ?? null })),
    );
  }

  getAddress(keyOrName: string, cb: Reply<'getAddress'>): void {
    const a = this.book.find(String(keyOrName));
    if (!a) return cb(this.unknownAddress(keyOrName));
    cb(null, { ...a, info: this.infoOf(a), last: this.book.getLast(a.key) ?? null });
  }

  writeValue(keyOrName: string, value: unknown, cb: Reply<'writeValue'>): void {
    const address = this.book.find(String(keyOrName));
    const refused = address ? this.metadata.writeRefusal(address, value) : undefined;
    if (refused) return cb(new GatewaysError(refused.code, refused.message));
    this.toDriver(keyOrName, 'write', [value], cb);
  }

  /** What is known of an address's point (docs/gateways.md, Point metadata). */
  infoOf(address: AddressEntry): PointInfo {
    return this.metadata.infoOf(address);
  }

  readValue(keyOrName: string, cb: Reply<'readValue'>): void {
    this.toDriver(keyOrName, 'read', [], cb);
  }

  getLastValue(keyOrName: string, cb: Reply<'getLastValue'>): void {
    const a = this.book.find(String(keyOrName));
    if (!a) return cb(this.unknownAddress(keyOrName));
    const last = this.book.getLast(a.key);
    // Seed code reads (value, date); the quality comes after them.
    cb(null, last ? last.value : null, last ? last.date : null, last ? (last.quality ?? 'good') : null);
  }

  insertGateway(gateway: GatewayEntry, cb: Reply<'insertGateway'>): void {
    if (this.gateways.has(String(gateway?.id)))
      return cb(new GatewaysError('BAD_REQUEST', `gateway ${gateway.id} already exists`));
    this.control.insertGateway(gateway).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  updateGateway(gateway: GatewayEntry, cb: Reply<'updateGateway'>): void {
    if (!this.gateways.has(String(gateway?.id)))
      return cb(new GatewaysError('UNKNOWN_GATEWAY', `no gateway with id ${JSON.stringify(gateway?.id)}`));
    this.control.updateGateway(gateway).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  /** Delete through the supervisor's control (used by reloads). */
  deleteGatewayAsync(id: GatewayId): Promise<void> {
    return this.control.deleteGateway(id, { keep: false });
  }

  deleteGateway(id: GatewayId, cb: Reply<'deleteGateway'>): void {
    if (!this.gateways.has(String(id)))
      return cb(new GatewaysError('UNKNOWN_GATEWAY', `no gateway with id ${JSON.stringify(id)}`));
    const blocked = this.control.deleteBlocked?.(this.book.ofGateway(id).map((a) => a.key));
    if (blocked) return cb(new GatewaysError('BAD_REQUEST', `deleteGateway ${JSON.stringify(id)}: ${blocked}`));
    this.control.deleteGateway(id).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  insertAddress(address: AddressEntry, cb: Reply<'insertAddress'>): void {
    this.changeAddress(address, false, cb);
  }

  updateAddress(address: AddressEntry, cb: Reply<'updateAddress'>): void {
    this.changeAddress(address, true, cb);
  }

  deleteAddress(keyOrName: string, cb: Reply<'deleteAddress'>): void {
    const old = this.book.find(String(keyOrName));
    if (!old) return cb(this.unknownAddress(keyOrName));
    const blocked = this.control.deleteBlocked?.([old.key]);
    if (blocked) return cb(new GatewaysError('BAD_REQUEST', `deleteAddress ${JSON.stringify(keyOrName)}: ${blocked}`));
    const gateway = this.gateways.get(String(old.gateway));
    this.removeAddress(old.key);
    const save = (): Promise<void> => this.control.saveAddress?.(old.key, undefined) ?? Promise.resolve();
    (gateway ? this.control.readdress(gateway) : Promise.resolve()).then(save).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }

  private changeAddress(input: AddressEntry, existing: boolean, cb: Reply<'insertAddress' | 'updateAddress'>): void {
    const key = typeof input?.key === 'string' ? input.key : undefined;
    if (!key) return cb(new GatewaysError('BAD_REQUEST', 'address.key: expected a non-empty string'));
    const old = this.book.find(key);
    if (existing && old?.key !== key) return cb(this.unknownAddress(key));
    if (!existing && old)
      return cb(
        new GatewaysError('BAD_REQUEST', `address.key: ${JSON.stringify(key)} is already used (by address ${old.key})`),
      );
    for (const id of [input.name, input.alias]) {
      const holder = typeof id === 'string' ? this.book.find(id) : undefined;
      if (holder && holder.key !== key)
        return cb(
          new GatewaysError(
            'BAD_REQUEST',
            `address name/alias ${JSON.stringify(id)} is already used by address ${holder.key}`,
          ),
        );
    }
    const gateway = this.gateways.get(String(input.gateway));
    if (!gateway)
      return cb(
        new GatewaysError('UNKNOWN_GATEWAY', `address.gateway: no gateway with id ${JSON.stringify(input.gateway)}`),
      );
    let address: AddressEntry;
    try {
      address = this.control.checkAddress(input, gateway);
    } catch (error) {
      return cb(error as Error);
    }
    const previous = old ? this.gateways.get(String(old.gateway)) : undefined;
    this.book.put(address);
    this.watchFreshness(address);
    this.emitBoth(existing ? 'addressUpdated' : 'addressInserted', address);
    const restarts = [gateway, ...(previous && previous !== gateway ? [previous] : [])];
    const written: AddressEntry = { ...address, point: input.point };
    Promise.all(restarts.map((g) => this.control.readdress(g)))
      .then(() => this.control.saveAddress?.(address.key, written))
      .then(
        () => cb(null),
        (e: Error) => cb(e),
      );
  }

  /** The current entry of a gateway. */
  gatewayEntry(id: GatewayId): GatewayEntry | undefined {
    return this.gateways.get(String(id));
  }

  // ---- used by the supervisor --------------------------------------------------------------

  /** Record a gateway (after validation by the supervisor) and announce it. */
  setGateway(
    gateway: GatewayEntry,
    addresses: AddressEntry[] | undefined,
    event: 'gatewayInserted' | 'gatewayUpdated',
  ): void {
    this.gateways.set(String(gateway.id), gateway);
    if (addresses) {
      for (const a of this.book.ofGateway(gateway.id)) this.removeAddress(a.key);
      for (const a of addresses) this.addAddress(a);
    }
    for (const a of this.book.ofGateway(gateway.id)) this.watchFreshness(a);
    if (this.peers(driverPeerName(gateway)).isConnected()) this.syncDriver(gateway);
    this.emitBoth(event, gateway);
  }

  removeGateway(id: GatewayId): void {
    const g = this.gateways.get(String(id));
    if (!g) return;
    for (const a of this.book.ofGateway(id)) this.removeAddress(a.key);
    this.gateways.delete(String(id));
    this.syncDriver(g);
    this.states.delete(String(id));
    this.emitBoth('gatewayDeleted', g);
  }

  addAddress(address: AddressEntry): void {
    this.book.put(address);
    this.watchFreshness(address);
    this.emitBoth('addressInserted', address);
  }

  removeAddress(key: string): void {
    this.metadata.forget(key);
    const old = this.book.remove(key);
    this.freshness.unwatch(key);
    if (old) this.emitBoth('addressDeleted', old);
  }

  /** Stop the staleness timer (the hub closes). */
  close(): void {
    this.freshness.close();
  }

  /**
   * A gateway's state changed: from its driver, or (`byHub`) its process went away, decided on the
   * hub while values the driver sent before may still be on their way.
   */
  setState(id: GatewayId, state: string, detail?: string, byHub = false): void {
    const previous = this.states.get(String(id));
    if (previous?.state === state && previous.detail === detail) return;
    this.states.set(String(id), detail === undefined ? { state } : { state, detail });
    this.emitBoth(`gatewayState ${id}`, state, detail ?? null);
    this.control.observeState?.(id, state);
    const gateway = this.gateways.get(String(id));
    // Values of a gateway whose device or process is not online cannot be trusted: stale at once.
    if (state !== 'online' && gateway)
      for (const a of this.book.ofGateway(id))
        this.#setQuality(a.key, 'stale', staleReason(gateway, state, detail), byHub);
  }

  /** Emit on this module and on the hub's own emitter (the seed listens on both). */
  emitBoth(event: string, ...args: unknown[]): void {
    this.emit(event, ...args);
    this.peers.peerEvents().emit(event, ...args);
  }

  // ---- internals ---------------------------------------------------------------------------

  private unknownAddress(keyOrName: unknown): GatewaysError {
    return new GatewaysError('UNKNOWN_ADDRESS', `no address with key, name or alias ${JSON.stringify(keyOrName)}`);
  }

  private toDriver(
    keyOrName: string,
    method: 'read' | 'write',
    extra: unknown[],
    cb: Reply<'readValue' | 'writeValue'>,
  ): void {
    const address = this.book.find(String(keyOrName));
    if (!address) return cb(this.unknownAddress(keyOrName));
    const gateway = this.gateways.get(String(address.gateway));
    if (!gateway)
      return cb(
        new GatewaysError(
          'UNKNOWN_GATEWAY',
          `address ${address.key} belongs to gateway ${address.gateway}, which does not exist`,
        ),
      );
    callDriver(this.peers, gateway, address.key, method, extra, cb);
  }

  /** A driver joined: listen to its values and states (the mesh keeps them across its restarts). */
  private onPeer(name: string): void {
    const gateway = [...this.gateways.values()].find((g) => driverPeerName(g) === name);
    if (gateway) this.syncDriver(gateway);
  }

  /** Make the listeners on a driver's module match the gateway's addresses now. */
  private syncDriver(gateway: GatewayEntry): void {
    const name = driverPeerName(gateway);
    const exists = this.gateways.get(String(gateway.id)) === gateway;
    const wanted = exists
      ? gatewayListeners(
          gateway.id,
          this.book.ofGateway(gateway.id).map((address) => address.key),
          {
            state: (state, detail) => this.setState(gateway.id, state, detail),
            quality: (key, quality, reason) => this.#setQuality(key, quality, reason),
            info: (key, info) => this.setDriverInfo(key, info),
            value: (key, value, valueString, date) => this.onValue(key, value, valueString, date),
          },
        )
      : new Map<string, DriverListener>();
    this.driverLinks.sync(name, wanted, {
      state: (state, detail) => this.setState(gateway.id, state, detail),
      info: (key, info) => this.setDriverInfo(key, info),
      value: (key, value, valueString, date) => {
        const known = this.book.getLast(key);
        if (!known || known.date < date) this.onValue(key, value, valueString, date);
      },
    });
  }

  /** What a driver says of a point (from `addresses()` or the `pointInfo` event); kept only for the site's addresses. */
  private setDriverInfo(key: string, info: unknown): void {
    if (this.book.find(key)) this.metadata.setFromDriver(key, info);
  }

  private onValue(key: string, value: unknown, valueString: string, date: Date): void {
    const address = this.book.find(key);
    if (!address) return;
    const when = date instanceof Date ? date : new Date();
    const last = this.book.getLast(address.key);
    const wasGood = (last?.quality ?? 'good') === 'good';
    // Read before the hub marked the address (its process stopping, not refreshed) and arriving
    // after: a true value at its time (history keeps it as such), but no sign the address is good now.
    const late = !wasGood && last?.markedAt !== undefined && when.getTime() < last.markedAt;
    const quality = late ? last.quality! : 'good';
    this.book.setLast(
      address.key,
      late ? { ...last, value, valueString, date: when } : { value, valueString, date: when, quality },
    );
    this.freshness.fresh(address.key, when.getTime());
    this.control.observeValue?.(address.key, value, when, 'good');
    for (const id of this.book.idsOf(address)) {
      this.emitBoth(ValueEvents.newValue(id), address.key, value, valueString, when, quality);
      if (!wasGood && !late) this.emitBoth(ValueEvents.valueQuality(id), address.key, 'good', null, when);
    }
  }

  /** Watch the address for staleness when its driver reads it periodically. */
  private watchFreshness(address: AddressEntry): void {
    const gateway = this.gateways.get(String(address.gateway));
    this.freshness.watch(address.key, String(address.gateway), gateway && this.control.refreshMs?.(address, gateway));
  }

  /**
   * Change the quality of an address's last value (not its value): `valueQuality <id>` for each of
   * its names. `byHub`: decided on the hub, not by the driver (see {@link LastValue.markedAt}).
   */
  #setQuality(key: string, quality: Quality, reason: string | undefined, byHub = false): void {
    const address = this.book.find(key);
    const last = address ? this.book.getLast(address.key) : undefined;
    if (!address || !last || ((last.quality ?? 'good') === quality && last.reason === reason)) return;
    this.book.setLast(address.key, { ...last, quality, reason, markedAt: byHub ? Date.now() : undefined });
    // History shows when a value stopped being trusted: the same value, now, with its quality
    // (once per change of quality; a new reason alone is not recorded).
    if ((last.quality ?? 'good') !== quality) this.control.observeValue?.(address.key, last.value, new Date(), quality);
    for (const id of this.book.idsOf(address))
      this.emitBoth(ValueEvents.valueQuality(id), address.key, quality, reason ?? null, last.date);
  }
}
