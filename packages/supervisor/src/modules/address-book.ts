/**
 * The site's addresses, found by key, name or alias, with their last values (the entry and value
 * shapes are the API's, `@weble/api`).
 */
import type { AddressEntry, GatewayId, LastValue as ApiLastValue } from '@weble/api';

export type { AddressEntry, GatewayId };

/** An address's last value as the API gives it, and what the hub keeps beside it. */
export interface LastValue extends ApiLastValue {
  /**
   * When the hub itself marked the value (its driver's process went away, it was not refreshed),
   * ms: a value read before then that arrives after it does not make the address good again.
   */
  markedAt?: number | undefined;
}

export class AddressBook {
  private readonly byKey = new Map<string, AddressEntry>();
  private readonly byAny = new Map<string, AddressEntry>();
  private readonly last = new Map<string, LastValue>();

  constructor(addresses: AddressEntry[] = []) {
    for (const a of addresses) this.put(a);
  }

  /** Add or replace an address (by key). */
  put(address: AddressEntry): void {
    this.remove(address.key);
    this.byKey.set(address.key, address);
    for (const id of this.idsOf(address)) this.byAny.set(id, address);
  }

  remove(key: string): AddressEntry | undefined {
    const old = this.byKey.get(key);
    if (!old) return undefined;
    this.byKey.delete(key);
    for (const id of this.idsOf(old)) if (this.byAny.get(id) === old) this.byAny.delete(id);
    this.last.delete(key);
    return old;
  }

  /** Find by key, name or alias. */
  find(keyOrName: string): AddressEntry | undefined {
    return this.byAny.get(keyOrName);
  }

  all(): AddressEntry[] {
    return [...this.byKey.values()];
  }

  ofGateway(id: GatewayId): AddressEntry[] {
    return this.all().filter((a) => String(a.gateway) === String(id));
  }

  /** The key, name and alias of an address: every name its events are emitted under. */
  idsOf(address: AddressEntry): string[] {
    return [address.key, address.name, address.alias].filter((x): x is string => typeof x === 'string' && x.length > 0);
  }

  setLast(key: string, value: LastValue): void {
    if (this.byKey.has(key)) this.last.set(key, value);
  }

  getLast(key: string): LastValue | undefined {
    return this.last.get(key);
  }
}
