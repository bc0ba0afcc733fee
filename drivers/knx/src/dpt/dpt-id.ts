/**
 * Datapoint type ids: `"9.001"`, `"9"`, `"DPT-9"`, `"DPST-9-1"` (as ETS writes them) and `"DPT9.001"`
 * all name main type 9 (sub 1); the canonical text is `main.sub` with three digits (`"9.001"`),
 * or `main` alone. Which main types the driver knows, and their sizes on the wire. Pure.
 */
import { KnxCode, KnxError } from '../errors.js';

/** A parsed datapoint type. */
export interface DptId {
  readonly main: number;
  /** The subtype, when given (`9.001` -> 1). */
  readonly sub: number | undefined;
}

/**
 * Size of each known main type on the wire: `bits` <= 6 travel in the APCI byte (a "small"
 * telegram, KNX 03.03.07 §3.1), `bytes` after it otherwise.
 */
export const DPT_SIZES: Readonly<Record<number, { readonly bits: number; readonly name: string }>> = {
  1: { bits: 1, name: 'boolean' },
  2: { bits: 2, name: '1-bit controlled' },
  3: { bits: 4, name: '3-bit controlled (dimming, blinds)' },
  5: { bits: 8, name: '8-bit unsigned (percent, angle, counter)' },
  6: { bits: 8, name: '8-bit signed' },
  7: { bits: 16, name: '2-byte unsigned' },
  8: { bits: 16, name: '2-byte signed' },
  9: { bits: 16, name: '2-byte float' },
  12: { bits: 32, name: '4-byte unsigned' },
  13: { bits: 32, name: '4-byte signed' },
  14: { bits: 32, name: '4-byte float' },
  16: { bits: 112, name: 'string (14 characters)' },
  17: { bits: 8, name: 'scene number' },
  18: { bits: 8, name: 'scene control' },
  20: { bits: 8, name: '1-byte enumeration' },
  232: { bits: 24, name: 'RGB colour' },
};

const FORMS = [
  /^(\d{1,3})(?:\.(\d{1,3}))?$/, // 9 / 9.001
  /^DPT-?(\d{1,3})(?:\.(\d{1,3}))?$/i, // DPT-9 / DPT9.001
  /^DPST-(\d{1,3})-(\d{1,3})$/i, // DPST-9-1
];

/** The datapoint type of `text`, or undefined when the text is no datapoint type id. */
export function tryParseDpt(text: string): DptId | undefined {
  const trimmed = text.trim();
  for (const form of FORMS) {
    const match = form.exec(trimmed);
    if (match) return { main: Number(match[1]), sub: match[2] === undefined ? undefined : Number(match[2]) };
  }
  return undefined;
}

/** Whether the driver encodes and decodes `dpt`'s main type. */
export function isSupportedDpt(dpt: DptId): boolean {
  return Object.hasOwn(DPT_SIZES, dpt.main) && (dpt.main !== 232 || dpt.sub === undefined || dpt.sub === 600);
}

/** `"DPST-9-1"` -> `{ main: 9, sub: 1 }`; an unknown or unsupported type is `KNX_UNSUPPORTED_DPT`. */
export function parseDpt(text: string, where = ''): DptId {
  const dpt = tryParseDpt(text);
  if (!dpt || !isSupportedDpt(dpt)) {
    const known = Object.keys(DPT_SIZES).join(', ');
    throw new KnxError(
      KnxCode.UNSUPPORTED_DPT,
      `${where ? `${where}: ` : ''}datapoint type ${JSON.stringify(text)} is not supported (main types ${known}, 232 as 232.600)`,
    );
  }
  return dpt;
}

/** `{ main: 9, sub: 1 }` -> `"9.001"`; `{ main: 9 }` -> `"9"`. */
export function formatDpt(dpt: DptId): string {
  return dpt.sub === undefined ? String(dpt.main) : `${dpt.main}.${String(dpt.sub).padStart(3, '0')}`;
}

/** Bits of the main type on the wire (<= 6: carried in the APCI byte). */
export function dptBits(dpt: DptId): number {
  const size = DPT_SIZES[dpt.main];
  if (!size) throw new KnxError(KnxCode.UNSUPPORTED_DPT, `datapoint type ${formatDpt(dpt)} is not supported`);
  return size.bits;
}
