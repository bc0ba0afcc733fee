/**
 * The type of value an address takes, from its point (`type` of virtual points, `dataType` or
 * `kind` of protocol drivers) or else from its last value, and the parsing of what a person
 * typed into that type, with a message naming the problem. Pure.
 */
import type { PointInfo } from '@weble/api';

export type ValueType = 'number' | 'boolean' | 'string' | 'json';

const NUMBER_TYPES = /^(number|int|uint|float|double|real|int16|uint16|int32|uint32|float32|float64|analog|integer)/i;
const BOOLEAN_TYPES = /^(boolean|bool|bit|coil|binary|discrete)/i;

/** What an address accepts. */
export function valueTypeOf(point: unknown, last: unknown): ValueType {
  for (const field of ['type', 'dataType', 'valueType', 'kind', 'objectType']) {
    // A point is its driver's config object; on anything else (a string, null) the lookup is undefined.
    const declared = (point as Record<string, unknown> | null | undefined)?.[field];
    if (typeof declared !== 'string') continue;
    if (declared === 'json') return 'json';
    if (declared === 'string' || declared === 'text') return 'string';
    if (BOOLEAN_TYPES.test(declared)) return 'boolean';
    if (NUMBER_TYPES.test(declared)) return 'number';
  }
  if (typeof last === 'number') return 'number';
  if (typeof last === 'boolean') return 'boolean';
  if (typeof last === 'string') return 'string';
  return 'json';
}

/** The decimal separator of a locale (`,` for de-DE, `.` for en-US). */
export function decimalSeparator(locale?: string): ',' | '.' {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal');
  return part?.value === ',' ? ',' : '.';
}

/**
 * Parse `input` as `type`: `{value}` or `{error}` saying what was expected. `decimal`: the
 * locale's decimal separator (with `,`, "21,5" is 21.5).
 */
export function parseValue(
  type: ValueType,
  input: string,
  decimal: ',' | '.' = '.',
): { value: unknown } | { error: string } {
  const text = input.trim();
  switch (type) {
    case 'number': {
      // Where the locale writes a decimal comma, 21,5 is 21.5 (a dot is still taken as decimal).
      const normal = decimal === ',' && /^[+-]?\d*,\d+$/.test(text) ? text.replace(',', '.') : text;
      if (normal === '' || !Number.isFinite(Number(normal))) return { error: `expected a number, got "${input}"` };
      return { value: Number(normal) };
    }
    case 'boolean': {
      if (/^(true|1|on)$/i.test(text)) return { value: true };
      if (/^(false|0|off)$/i.test(text)) return { value: false };
      return { error: `expected true or false, got "${input}"` };
    }
    case 'string':
      return { value: input };
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (error) {
        return { error: `expected JSON: ${(error as Error).message}` };
      }
  }
}

/** What the gateway knows of a point (`info` of `listAddresses`; the core modules' API). */
export type { PointInfo };

/** Why a number cannot be written to a point with these limits, or undefined. Pure. */
export function outOfRange(value: number, info: PointInfo | undefined): string | undefined {
  const { min, max } = info ?? {};
  if ((min === undefined || value >= min) && (max === undefined || value <= max)) return undefined;
  return `${value} is outside ${min ?? '-∞'} .. ${max ?? '∞'}`;
}

/** The state text of a value (`{ "1": "Off" }` shows 1 as "Off"), or undefined. Pure. */
export function stateText(value: unknown, info: PointInfo | undefined): string | undefined {
  if (!info?.states || (typeof value !== 'number' && typeof value !== 'boolean')) return undefined;
  return info.states[String(value)];
}

/** The value a state key stands for: `"2"` -> 2, `"true"` -> true. Pure. */
export function stateValue(key: string): number | boolean | string {
  if (key === 'true' || key === 'false') return key === 'true';
  return Number.isFinite(Number(key)) && key.trim() !== '' ? Number(key) : key;
}
