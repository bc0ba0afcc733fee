/**
 * A point made ready for the wire: its regexes compiled, its templates parsed, its timing
 * resolved against the gateway's defaults. Built once per connection from the plain config.
 */
import type { Address } from '@weble/driver-kit';
import { compileMatch, type Extractor } from './extract.js';
import type { SerialConfig, SerialPoint } from './schemas.js';
import { parseTemplate, type Template } from './template.js';

/** A command with its header fields and answer timing. */
export interface CompiledCommand {
  template: Template;
  /** Header field values of the request's frame (over the layout's defaults). */
  fields: Readonly<Record<string, number>>;
  timeoutMs: number;
  retries: number;
}

/** A compiled point. */
export interface CompiledPoint {
  key: string;
  point: SerialPoint;
  /** Unsolicited frames. */
  read?: Extractor | undefined;
  poll?: (CompiledCommand & { reply: Extractor }) | undefined;
  write?:
    (CompiledCommand & { scale: number; reply?: Extractor | undefined; reject?: Extractor | undefined }) | undefined;
}

function template(source = '', encoding: BufferEncoding): Template {
  const parsed = parseTemplate(source, encoding);
  if ('error' in parsed) throw new TypeError(`template ${JSON.stringify(source)}: ${parsed.error}`); // the schema refused it already
  return parsed;
}

/** Compile one address with the gateway's `encoding`, `timeoutMs` and `retries`. */
export function compilePoint(address: Readonly<Address<SerialPoint>>, config: SerialConfig): CompiledPoint {
  const { point } = address;
  const { encoding } = config;
  const timing = (own: {
    timeoutMs?: number | undefined;
    retries?: number | undefined;
    fields?: Record<string, number> | undefined;
  }) => ({
    timeoutMs: own.timeoutMs ?? config.timeoutMs,
    retries: own.retries ?? config.retries,
    fields: own.fields ?? {},
  });
  return {
    key: address.key,
    point,
    read: point.read && compileMatch(point.read, point.type),
    poll: point.poll && {
      template: template(point.poll.command, encoding),
      reply: compileMatch(point.poll.reply, point.type),
      ...timing(point.poll),
    },
    write: point.write && {
      template: template(point.write.command, encoding),
      scale: point.write.scale ?? 1,
      reply: point.write.reply && compileMatch(point.write.reply, 'string'),
      reject: point.write.reject && compileMatch(point.write.reject, 'string'),
      ...timing(point.write),
    },
  };
}
