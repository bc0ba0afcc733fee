/**
 * Command templates from configuration (`"SET ${value}\r\n"`, `'\x02R${value:uint16be}'`). A
 * template is parsed once into literal bytes and placeholders, then rendered by substitution; it
 * is never evaluated as code. Placeholders: `${value}` (the value as text: numbers with
 * `String()`, booleans as `1`/`0`) and `${value:<type>[be|le]}` (the number as a binary field,
 * big-endian unless `le`). Escapes: `\r \n \t \0 \\ \$ \xHH` (`\xHH` is a raw byte).
 */
import { BINARY_TYPES, writeBinary, type BinaryType, type Endian } from './binary-types.js';
import { encodeParts, unescape, type EscapedPart } from './bytes.js';

/** One piece of a parsed template. */
export type TemplatePart =
  { bytes: Buffer } | { placeholder: 'text' } | { placeholder: 'binary'; type: BinaryType; endian: Endian };

/** A parsed template. */
export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
/** Stands for an escaped `\$` while placeholders are found (a private-use character). */
const DOLLAR = '\uE000';

function parsePlaceholder(inner: string): TemplatePart | string {
  const [name, format, ...rest] = inner.split(':');
  if (name !== 'value' || rest.length > 0)
    return `unknown placeholder \${${inner}} (known: \${value}, \${value:<type>[be|le]})`;
  if (format === undefined) return { placeholder: 'text' };
  const match = /^([a-z0-9]+?)(be|le)?$/.exec(format);
  const type = match?.[1] as BinaryType | undefined;
  if (!match || !type || !BINARY_TYPES.includes(type))
    return `unknown format "${format}" in \${${inner}} (types: ${BINARY_TYPES.join(', ')}, with be or le)`;
  return { placeholder: 'binary', type, endian: match[2] === 'le' ? 'little' : 'big' };
}

/**
 * Parse `source`. Literal text is encoded with `encoding`; `\xHH` escapes stay raw bytes. An
 * escaped `\$` keeps a literal dollar sign. Returns an error message when the template is invalid.
 */
export function parseTemplate(source: string, encoding: BufferEncoding = 'utf8'): Template | { error: string } {
  // Escapes first; an escaped `\$` becomes a private-use marker so it hides a `${` from the scan.
  const escaped = unescape(source, DOLLAR);
  if ('error' in escaped) return escaped;
  const parts: TemplatePart[] = [];
  for (const piece of escaped.parts) {
    if ('bytes' in piece) {
      parts.push({ bytes: Buffer.from(piece.bytes) });
      continue;
    }
    let last = 0;
    for (const match of piece.text.matchAll(PLACEHOLDER)) {
      const error = pushText(parts, piece.text.slice(last, match.index), encoding);
      if (error) return { error };
      const part = parsePlaceholder(match[1]!);
      if (typeof part === 'string') return { error: part };
      parts.push(part);
      last = match.index + match[0].length;
    }
    const error = pushText(parts, piece.text.slice(last), encoding);
    if (error) return { error };
  }
  return { source, parts };
}

/** Append literal text; an error message when it holds an unclosed `${`. */
function pushText(parts: TemplatePart[], text: string, encoding: BufferEncoding): string | undefined {
  if (!text) return undefined;
  if (text.includes('${')) return 'unclosed placeholder "${" (write \\${ for a literal one)';
  const part: EscapedPart = { text: text.replaceAll(DOLLAR, '$') };
  parts.push({ bytes: encodeParts([part], encoding) });
  return undefined;
}

/** Whether the template has a `${value...}` placeholder. */
export function hasPlaceholder(template: Template): boolean {
  return template.parts.some((p) => 'placeholder' in p);
}

/** The value as template text: numbers with `String()`, booleans `1`/`0`, strings as they are. */
export function valueText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Render with `value`; an error message when the value does not fit a binary placeholder. */
export function renderTemplate(
  template: Template,
  value: unknown,
  encoding: BufferEncoding = 'utf8',
): Buffer | { error: string } {
  const out: Buffer[] = [];
  for (const part of template.parts) {
    if ('bytes' in part) out.push(part.bytes);
    else if (part.placeholder === 'text') out.push(Buffer.from(valueText(value), encoding));
    else {
      const n = typeof value === 'boolean' ? Number(value) : value;
      if (typeof n !== 'number') return { error: `\${value:${part.type}} needs a number, got ${typeof value}` };
      const bytes = writeBinary(n, part.type, part.endian);
      if (typeof bytes === 'string') return { error: bytes };
      out.push(bytes);
    }
  }
  return Buffer.concat(out);
}
