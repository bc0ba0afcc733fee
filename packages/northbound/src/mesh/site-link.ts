/**
 * The bridge's side on the mesh: the site's addresses and gateways from `supervision`'s `gateways`
 * module, their values (`newValue <key>`), gateway states (`gatewayState <id>`) and address
 * lifecycle events, and writes through `gateways.writeValue`. Listens only to the addresses the
 * bridge publishes, and to the states of their gateways.
 */
import { DriverEvents } from '@weble/driver-kit';
import type { Peers } from '@weble/peers-core';
import { GATEWAYS_MODULE, HUB_PEER } from '../contract.js';
import type { AddressRef } from '../selection.js';

/** An address with its last value, as `gateways.listAddresses` gives it. */
export interface SiteAddress extends AddressRef {
  /** The point as the driver defines it (its `type` gives Sparkplug datatypes). */
  point?: unknown;
  last?: { value: unknown; date: Date; quality?: unknown } | null;
}

/** What the link reports. */
export interface SiteListener {
  /** A value of a listened address (`extra`: arguments after the seed's four, e.g. a quality). */
  value(address: SiteAddress, value: unknown, date: Date, extra: readonly unknown[]): void;
  gatewayState(gateway: string, state: string, detail: string | null): void;
  /** An address appeared (at start, or inserted later). */
  added(address: SiteAddress): void;
  removed(key: string): void;
}

type Listener = (...args: unknown[]) => void;

const LIFECYCLE = ['addressInserted', 'addressUpdated', 'addressDeleted'] as const;

export class SiteLink {
  private readonly listened = new Map<string, Listener>();
  private readonly gatewaysListened = new Map<string, Listener>();
  private readonly lifecycle = new Map<string, Listener>();

  constructor(
    private readonly peers: Peers,
    private readonly wanted: (address: AddressRef) => boolean,
    private readonly listener: SiteListener,
    private readonly callTimeoutMs = 10_000,
  ) {}

  /** Load the addresses and gateways and listen to them; resolves once every interest is in place. */
  async start(): Promise<void> {
    const hub = this.peers(HUB_PEER);
    for (const event of LIFECYCLE) {
      const fn: Listener = (address) => this.onLifecycle(event, address as SiteAddress);
      this.lifecycle.set(event, fn);
      hub.on(event, fn);
    }
    const [gateways] = await hub.call(GATEWAYS_MODULE, 'listGateways', [], { timeoutMs: this.callTimeoutMs });
    const [addresses] = await hub.call(GATEWAYS_MODULE, 'listAddresses', [], { timeoutMs: this.callTimeoutMs });
    // Addresses first: a gateway reported online has its addresses known (a Sparkplug DBIRTH lists
    // them). Only the gateways of published addresses: their states, not the others'.
    for (const address of addresses as SiteAddress[]) this.add(address);
    for (const g of gateways as Array<{ id: string | number; state?: string }>)
      if (this.gatewaysListened.has(String(g.id))) this.listenGateway(String(g.id), g.state);
    // This call travels behind the interests on the same link: once it answers, every later value
    // comes as an event, and a value that changed in between is in its last values.
    const [again] = await hub.call(GATEWAYS_MODULE, 'listAddresses', [], { timeoutMs: this.callTimeoutMs });
    for (const address of again as SiteAddress[]) {
      if (!this.listened.has(address?.key) || !address.last || address.last.value === undefined) continue;
      this.listener.value(
        address,
        address.last.value,
        address.last.date instanceof Date ? address.last.date : new Date(),
        [address.last.quality],
      );
    }
  }

  /** Write through `gateways.writeValue` (rejects with the gateway's coded error). */
  async write(key: string, value: unknown): Promise<void> {
    await this.peers(HUB_PEER).call(GATEWAYS_MODULE, 'writeValue', [key, value], { timeoutMs: this.callTimeoutMs });
  }

  /** Stop listening. */
  stop(): void {
    const hub = this.peers(HUB_PEER);
    for (const [event, fn] of [...this.listened, ...this.gatewaysListened, ...this.lifecycle])
      hub.removeListener(event, fn);
    this.listened.clear();
    this.gatewaysListened.clear();
    this.lifecycle.clear();
  }

  /** Listen to a gateway's state (once) and report `state` when given. */
  private listenGateway(id: string, state: string | undefined): void {
    if (!this.gatewaysListened.has(id)) {
      const fn: Listener = (s, detail) =>
        this.listener.gatewayState(id, String(s), typeof detail === 'string' ? detail : null);
      this.gatewaysListened.set(id, fn);
      this.peers(HUB_PEER).on(DriverEvents.gatewayState(id), fn);
    }
    if (state !== undefined) this.listener.gatewayState(id, state, null);
  }

  private add(address: SiteAddress): void {
    if (typeof address?.key !== 'string' || !this.wanted(address) || this.listened.has(address.key)) return;
    const fn: Listener = (_key, value, _valueString, date, ...extra) =>
      this.listener.value(address, value, date instanceof Date ? date : new Date(), extra);
    this.listened.set(address.key, fn);
    this.peers(HUB_PEER).on(DriverEvents.newValue(address.key), fn);
    this.listenGateway(String(address.gateway), undefined);
    this.listener.added(address);
  }

  private remove(key: string): void {
    const fn = this.listened.get(key);
    if (!fn) return;
    this.peers(HUB_PEER).removeListener(DriverEvents.newValue(key), fn);
    this.listened.delete(key);
    this.listener.removed(key);
  }

  private onLifecycle(event: (typeof LIFECYCLE)[number], address: SiteAddress): void {
    if (typeof address?.key !== 'string') return;
    if (event !== 'addressInserted') this.remove(address.key);
    if (event !== 'addressDeleted') this.add(address);
  }
}
