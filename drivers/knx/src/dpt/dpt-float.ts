/**
 * The float formats of KNX: DPT 9 (2 bytes: sign, 4-bit exponent, 11-bit mantissa, value
 * 0.01 * M * 2^E, M in two's complement over 12 bits; KNX 03.07.02 §3.10) and DPT 14 (IEEE 754
 * float32). Pure; callers check sizes first.
 */

/** Largest value of DPT 9 (7ffe; 7fff, 2047 * 2^15, is "invalid data"). */
export const DPT9_MAX = 670_433.28;
/** Smallest value of DPT 9 (f800). */
export const DPT9_MIN = -671_088.64;

/** 0x7FFF: "invalid data" of DPT 9. */
export const DPT9_INVALID = 0x7fff;

/** Two bytes of DPT 9 -> the value (rounded to 0.01), or undefined for the "invalid data" pattern. */
export function decodeDpt9(high: number, low: number): number | undefined {
  const raw = (high << 8) | low;
  if (raw === DPT9_INVALID) return undefined;
  const exponent = (high >> 3) & 0x0f;
  let mantissa = ((high & 0x07) << 8) | low;
  if (high & 0x80) mantissa -= 2048; // the sign bit is bit 11 of the 12-bit two's complement mantissa
  return Math.round(mantissa * (1 << exponent)) / 100;
}

/** A value in [DPT9_MIN, DPT9_MAX] -> two bytes: the smallest exponent whose mantissa fits. */
export function encodeDpt9(value: number): [number, number] {
  const hundredths = Math.round(value * 100);
  let exponent = 0;
  let mantissa = hundredths;
  while ((mantissa < -2048 || mantissa > 2047) && exponent < 15) {
    exponent++;
    mantissa = Math.round(hundredths / (1 << exponent));
  }
  mantissa = Math.max(-2048, Math.min(2047, mantissa));
  const m = mantissa & 0x0fff; // 12-bit two's complement
  const sign = m & 0x800 ? 0x80 : 0;
  return [sign | (exponent << 3) | ((m >> 8) & 0x07), m & 0xff];
}

/** The shortest decimal that is the same float32 as `value` (21.5, not 21.500000953674316). */
export function shortestFloat32(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single)) return single;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}
