/**
 * KNX group addresses: 16 bits written as `main/middle/sub` (5/3/8 bits: 0-31/0-7/0-255),
 * `main/sub` (5/11 bits: 0-31/0-2047) or free (0-65535). Pure.
 */
import { KnxCode, KnxError } from './errors.js';

/** How a group address is written. */
export type GroupAddressStyle = 'three-level' | 'two-level' | 'free';

const THREE = /^(\d{1,2})\/(\d{1})\/(\d{1,3})$/;
const TWO = /^(\d{1,2})\/(\d{1,4})$/;
const FREE = /^\d{1,5}$/;

/** The raw 16-bit value of `text`, or undefined when it is no group address. */
export function tryParseGroupAddress(text: string): number | undefined {
  const three = THREE.exec(text);
  if (three) {
    const [main, middle, sub] = [Number(three[1]), Number(three[2]), Number(three[3])];
    return main <= 31 && middle <= 7 && sub <= 255 ? (main << 11) | (middle << 8) | sub : undefined;
  }
  const two = TWO.exec(text);
  if (two) {
    const [main, sub] = [Number(two[1]), Number(two[2])];
    return main <= 31 && sub <= 2047 ? (main << 11) | sub : undefined;
  }
  if (FREE.test(text)) {
    const raw = Number(text);
    return raw <= 0xffff ? raw : undefined;
  }
  return undefined;
}

/**
 * The raw 16-bit value of `text` (`"4/7/25"` -> 0x2719). `where` names the gateway and the key in
 * the error: `gateway 1 (knx) address "x": "32/0/0" is no group address ...` (`KNX_BAD_GROUP_ADDRESS`).
 */
export function parseGroupAddress(text: string, where = ''): number {
  const raw = tryParseGroupAddress(text);
  if (raw === undefined) {
    throw new KnxError(
      KnxCode.BAD_GROUP_ADDRESS,
      `${where ? `${where}: ` : ''}${JSON.stringify(text)} is no group address (expected main/middle/sub 0-31/0-7/0-255, main/sub 0-31/0-2047 or 0-65535)`,
    );
  }
  return raw;
}

/** `0x2719` -> `"4/7/25"` (default), `"4/1817"` or `"10009"`. */
export function formatGroupAddress(raw: number, style: GroupAddressStyle = 'three-level'): string {
  const value = raw & 0xffff;
  if (style === 'free') return String(value);
  if (style === 'two-level') return `${value >> 11}/${value & 0x7ff}`;
  return `${value >> 11}/${(value >> 8) & 0x7}/${value & 0xff}`;
}
