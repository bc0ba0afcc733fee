/**
 * Bytes written in configuration: hex strings (`"02"`, `"01 03 0a"`, `"0x02"`), arrays of byte
 * numbers, and text with escapes (`\r`, `\n`, `\t`, `\0`, `\\`, `\xHH`). Pure helpers.
 */

/** Parse hex bytes: pairs of hex digits, optionally `0x`-prefixed, separated by spaces, `:` or `-`. Undefined when invalid or empty. */
export function parseHex(text: string): Uint8Array | undefined {
  const tokens = text
    .trim()
    .split(/[\s:,-]+/)
    .filter((t) => t.length > 0);
  const digits: string[] = [];
  for (const token of tokens) {
    const bare = token.replace(/^0x/i, '');
    if (!/^(?:[0-9a-f]{2})+$/i.test(bare)) return undefined;
    for (let i = 0; i < bare.length; i += 2) digits.push(bare.slice(i, i + 2));
  }
  if (digits.length === 0) return undefined;
  return Uint8Array.from(digits, (d) => Number.parseInt(d, 16));
}

/** Bytes as lower-case hex pairs separated by spaces: `02 31 0d`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A piece of text after escapes: literal text, or raw bytes from `\xHH`. */
export type EscapedPart = { text: string } | { bytes: number[] };

const SIMPLE_ESCAPES: Record<string, string> = { r: '\r', n: '\n', t: '\t', '0': '\0', '\\': '\\', $: '$' };

/**
 * Split `text` at its escapes. `\xHH` gives a raw byte (never re-encoded); the other escapes give
 * text (`\$` gives `dollar`, a marker a caller may use to hide a `${`). Returns an error message
 * naming the position of a bad escape.
 */
export function unescape(text: string, dollar = '$'): { parts: EscapedPart[] } | { error: string } {
  const parts: EscapedPart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) parts.push({ text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      literal += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return { error: `ends with a lone backslash (at ${i})` };
    if (next === 'x') {
      const hex = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `bad escape \\x${hex} at ${i}: expected two hex digits` };
      flush();
      const last = parts.at(-1);
      if (last && 'bytes' in last) last.bytes.push(Number.parseInt(hex, 16));
      else parts.push({ bytes: [Number.parseInt(hex, 16)] });
      i += 3;
      continue;
    }
    const simple = next === '$' ? dollar : SIMPLE_ESCAPES[next];
    if (simple === undefined)
      return { error: `unknown escape \\${next} at ${i} (known: \\r \\n \\t \\0 \\\\ \\$ \\xHH)` };
    literal += simple;
    i += 1;
  }
  flush();
  return { parts };
}

/** Encode escaped parts to bytes: text with `encoding`, raw bytes as they are. */
export function encodeParts(parts: readonly EscapedPart[], encoding: BufferEncoding): Buffer {
  return Buffer.concat(parts.map((p) => ('text' in p ? Buffer.from(p.text, encoding) : Buffer.from(p.bytes))));
}

/** Index of `needle` in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}
