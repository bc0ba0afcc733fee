/**
 * What the hub knows of each address's point besides its value (its `info` in `listAddresses`):
 * writable unless said otherwise, then its driver's point config (`describe`), then what the
 * device said (the driver's `pointInfo` event and `addresses()`), then site.yaml's own fields; and
 * the writes refused on that ground before they reach a driver (docs/gateways.md, Point metadata).
 */
import { mergePointInfo, type PointInfo } from '@weble/driver-kit';
import type { AddressEntry } from './address-book.js';

/** What site.yaml says of an address's point (over the driver's). */
function siteInfo(address: AddressEntry): PointInfo {
  const { unit, writable, min, max, step, states } = address;
  return { unit, writable, min, max, step, states };
}

/** A driver's info as it came over the mesh, keeping only well-typed fields. */
function fromDriver(info: object): PointInfo {
  const { writable, min, max, step, unit, states, relinquish } = info as Record<string, unknown>;
  const number = (n: unknown): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? n : undefined);
  const flag = (b: unknown): boolean | undefined => (typeof b === 'boolean' ? b : undefined);
  const texts =
    typeof states === 'object' && states !== null
      ? (Object.fromEntries(Object.entries(states).filter(([, text]) => typeof text === 'string')) as Record<
          string,
          string
        >)
      : undefined;
  return {
    writable: flag(writable),
    min: number(min),
    max: number(max),
    step: number(step),
    unit: typeof unit === 'string' ? unit : undefined,
    states: texts,
    relinquish: flag(relinquish),
  };
}

/** Why a write is refused before the driver: its code and message. */
export interface WriteRefusal {
  code: 'READ_ONLY' | 'OUT_OF_RANGE';
  message: string;
}

export class PointMetadata {
  /** What each address's driver said of its point, by key. */
  private readonly fromDrivers = new Map<string, PointInfo>();

  /** `describe`: what the driver's point config says (its definition's `describe`). */
  constructor(private readonly describe: (address: AddressEntry) => PointInfo | undefined) {}

  infoOf(address: AddressEntry): PointInfo {
    return mergePointInfo(
      { writable: true },
      this.describe(address),
      this.fromDrivers.get(address.key),
      siteInfo(address),
    );
  }

  /** What a driver says of a point (from `addresses()` or the `pointInfo` event). */
  setFromDriver(key: string, info: unknown): void {
    if (typeof info === 'object' && info !== null) this.fromDrivers.set(key, fromDriver(info));
  }

  forget(key: string): void {
    this.fromDrivers.delete(key);
  }

  /**
   * Why a write is refused before it reaches the driver: site.yaml made the address read-only, or
   * a number is outside its limits. A point read-only by its driver's config is refused by the
   * driver itself, with its reason.
   */
  writeRefusal(address: AddressEntry, value: unknown): WriteRefusal | undefined {
    if (address.writable === false)
      return {
        code: 'READ_ONLY',
        message: `write ${address.key}: the address is read-only (writable: false in site.yaml)`,
      };
    if (typeof value !== 'number') return undefined;
    const { min, max } = this.infoOf(address);
    if ((min !== undefined && value < min) || (max !== undefined && value > max) || Number.isNaN(value)) {
      return {
        code: 'OUT_OF_RANGE',
        message: `write ${address.key}: ${value} is outside ${min ?? '-∞'} .. ${max ?? '∞'}`,
      };
    }
    return undefined;
  }
}
