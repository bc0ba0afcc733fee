/**
 * The type of value an address takes, from its point (`type` of virtual points, `dataType` or
 * `kind` of protocol drivers) or else from its last value, and the parsing of what a person
 * typed into that type, with a message naming the problem. Pure.
 */
export type ValueType = 'number' | 'boolean' | 'string' | 'json';

const NUMBER_TYPES = /^(number|int|uint|float|double|real|int16|uint16|int32|uint32|float32|float64|analog|integer)/i;
const BOOLEAN_TYPES = /^(boolean|bool|bit|coil|binary|discrete)/i;

/** What an address accepts. */
export function valueTypeOf(point: Record<string, unknown> | undefined, last: unknown): ValueType {
  for (const field of ['type', 'dataType', 'valueType', 'kind', 'objectType']) {
    const declared = point?.[field];
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

/** Parse `input` as `type`: `{value}` or `{error}` saying what was expected. */
export function parseValue(type: ValueType, input: string): { value: unknown } | { error: string } {
  const text = input.trim();
  switch (type) {
    case 'number': {
      if (text === '' || !Number.isFinite(Number(text))) return { error: `expected a number, got "${input}"` };
      return { value: Number(text) };
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
