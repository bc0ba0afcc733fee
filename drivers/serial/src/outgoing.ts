/**
 * Requests as they go on the wire, and how their answers are recognised: a command template
 * rendered with the value, framed by the gateway's framing (header fields, length and checksum of
 * its layout), and the header fields a reply must echo. Pure.
 */
import type { CompiledCommand } from './compiled-point.js';
import type { Frame } from './extract.js';
import { frameOutgoing } from './frame-stream.js';
import type { Framing } from './framing-schema.js';
import type { Layout } from './layout.js';
import { renderTemplate } from './template.js';

/** A request ready to send. */
export interface Outgoing {
  bytes: Buffer;
  /** Header fields a reply must carry with these values (the layout's `echo` fields). */
  echo: Readonly<Record<string, number>>;
}

/** Render `command` with `value` and frame it; an error message when the value or a field does not fit. */
export function prepareRequest(
  command: CompiledCommand,
  value: unknown,
  wire: { framing: Framing; encoding: BufferEncoding; layout: Layout | undefined },
): Outgoing | { error: string } {
  const rendered = renderTemplate(command.template, value, wire.encoding);
  if ('error' in rendered) return rendered;
  let bytes: Buffer;
  try {
    bytes = frameOutgoing(wire.framing, rendered, command.fields, wire.encoding, wire.layout);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const echo: Record<string, number> = {};
  for (const e of wire.layout?.elements ?? []) {
    if (e.kind !== 'field' || !e.echo) continue;
    const sent = command.fields[e.name] ?? e.value;
    if (sent !== undefined) echo[e.name] = sent;
  }
  return { bytes, echo };
}

/** How a command is named in messages: its template as written in the configuration, quoted, never re-escaped. */
export function commandLabel(command: CompiledCommand, key: string): string {
  const fields = Object.entries(command.fields).map(([name, value]) => `${name}=${value}`);
  const what =
    command.template.source === ''
      ? `fields ${fields.join(' ')}`
      : `"${command.template.source}"${fields.length > 0 ? ` (${fields.join(' ')})` : ''}`;
  return `${what} for "${key}"`;
}

// Printable text: no C0 controls except tab, no DEL, no replacement characters of a failed decode.
const PRINTABLE = /^[^\u0000-\u0008\u000a-\u001f\u007f\ufffd]*$/u;

/** A frame as the device sent it: its text when printable, else its bytes in hex. */
export function deviceText(frame: Frame): string {
  const text = frame.text;
  return PRINTABLE.test(text) ? text : `bytes ${frame.bytes.toString('hex').replace(/(..)(?=.)/g, '$1 ')}`;
}
