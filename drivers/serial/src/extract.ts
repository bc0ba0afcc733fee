/**
 * Values out of frames, pure: a compiled {@link Match} tells whether a frame is for a point and
 * what value it carries. Header fields of the frame's layout must equal the match's `fields`; text
 * frames go through the point's regex (named group), binary frames through a prefix and a field;
 * numbers are scaled (`raw * scale + add`), text may be mapped.
 */
import { readBinary } from './binary-types.js';
import { SerialCode } from './errors.js';
import type { Match } from './schemas.js';

/** The value type of a point. */
export type ValueType = 'number' | 'boolean' | 'string';

/** What a frame gives a point: nothing (not its frame), a value, or a conversion problem. */
export type Extracted =
  undefined | { value: number | boolean | string } | { code: typeof SerialCode.BAD_VALUE; message: string };

/** A frame as the extractors see it: its payload bytes, its text (decoded once, lazily), its header fields. */
export interface Frame {
  readonly bytes: Buffer;
  readonly text: string;
  /** Header fields of the framing's layout (none without a layout). */
  readonly fields: Readonly<Record<string, number>>;
}

/** Make a {@link Frame}: text decoded with `encoding`, without a trailing `\r`. */
export function frameOf(bytes: Buffer, encoding: BufferEncoding, fields: Readonly<Record<string, number>> = {}): Frame {
  let text: string | undefined;
  return {
    bytes,
    fields,
    get text() {
      text ??= bytes.toString(encoding).replace(/\r$/, '');
      return text;
    },
  };
}

/** A compiled match: call it with a frame. */
export type Extractor = (frame: Frame) => Extracted;

const TRUE_TEXT = /^(?:1|true|on|yes)$/i;
const FALSE_TEXT = /^(?:0|false|off|no)$/i;

/** Round away binary noise of scaling (0.1 * 215 = 21.500000000000004). */
function tidy(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(12)) : n;
}

function bad(message: string): Extracted {
  return { code: SerialCode.BAD_VALUE, message };
}

/** Convert raw text or number to the point's type, through `map`, `scale` and `add`. */
export function convert(raw: string | number, type: ValueType, match: Pick<Match, 'scale' | 'add' | 'map'>): Extracted {
  const key = String(raw);
  let mapped: string | number | boolean = raw;
  if (match.map) {
    if (!Object.hasOwn(match.map, key))
      return bad(`${JSON.stringify(key)} is not in the map (${Object.keys(match.map).join(', ')})`);
    mapped = match.map[key]!;
  }
  if (typeof mapped === 'boolean') {
    if (type === 'string') return { value: String(mapped) };
    if (type === 'number') return { value: mapped ? 1 : 0 };
    return { value: mapped };
  }
  return convertRaw(mapped, key, type, match);
}

function convertRaw(
  raw: string | number,
  key: string,
  type: ValueType,
  match: Pick<Match, 'scale' | 'add' | 'map'>,
): Extracted {
  switch (type) {
    case 'string':
      return { value: String(raw) };
    case 'number': {
      const n = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) return bad(`${JSON.stringify(key)} is not a number`);
      return { value: match.map ? n : tidy(n * match.scale + match.add) };
    }
    case 'boolean': {
      if (typeof raw === 'number') return { value: raw !== 0 };
      if (TRUE_TEXT.test(raw.trim())) return { value: true };
      if (FALSE_TEXT.test(raw.trim())) return { value: false };
      return bad(`${JSON.stringify(key)} is not a boolean (1/0, true/false, on/off, yes/no)`);
    }
  }
}

/** Compile `match` for a point of `type`. */
export function compileMatch(match: Match, type: ValueType): Extractor {
  const extract = compileValue(match, type);
  const wanted = Object.entries(match.fields ?? {});
  if (wanted.length === 0) return extract;
  return (frame) => (wanted.every(([name, value]) => frame.fields[name] === value) ? extract(frame) : undefined);
}

/** Whether the frame's header fields are those of a request (its `echo` fields): another address's reply is not its answer. */
export function echoes(frame: Frame, expected: Readonly<Record<string, number>>): boolean {
  for (const [name, value] of Object.entries(expected)) if (frame.fields[name] !== value) return false;
  return true;
}

function compileValue(match: Match, type: ValueType): Extractor {
  if (match.regex !== undefined) {
    const regex = new RegExp(match.regex, match.flags ?? '');
    return (frame) => {
      const found = regex.exec(frame.text);
      if (!found) return undefined;
      const raw = pickGroup(found, match.group);
      if (raw === undefined)
        return bad(
          `group ${JSON.stringify(match.group ?? 'value')} did not take part in the match of ${JSON.stringify(frame.text)}`,
        );
      return convert(raw, type, match);
    };
  }
  const prefix = match.prefix ? Buffer.from(match.prefix) : undefined;
  const field = match.field;
  return (frame) => {
    if (prefix && !frame.bytes.subarray(0, prefix.length).equals(prefix)) return undefined;
    if (!field) return convert(frame.bytes.toString('hex'), type, match);
    const raw = readBinary(frame.bytes, field.offset, field.type, field.endian);
    if (raw === undefined)
      return bad(`frame of ${frame.bytes.length} bytes is too short for ${field.type} at offset ${field.offset}`);
    return convert(raw, type, match);
  };
}

/** The text of `group`, else of the group named `value`, else of the first group, else the whole match. */
function pickGroup(found: RegExpExecArray, group: string | undefined): string | undefined {
  if (group !== undefined) return found.groups?.[group];
  if (found.groups && 'value' in found.groups) return found.groups.value;
  return found.length > 1 ? found[1] : found[0];
}
