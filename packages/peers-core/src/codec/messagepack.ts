/**
 * The one codec of the mesh: MessagePack (msgpackr), chosen over JSON-with-tags by
 * `scripts/bench/codec.ts` (see docs/protocol.md for the measured table).
 *
 * Round-trips plain data, `undefined` (also inside arrays), Buffer/Uint8Array (decoded as Buffer in
 * Node), Date, and Error (name, message, code, stack, cause and own serializable properties).
 * Functions, symbols and cycles are refused with a {@link Code.NOT_SERIALIZABLE} error naming the
 * path of the bad value. Pure: bytes in, values out.
 */
// `msgpackr/pack` is msgpackr without its optional native string extractor (`msgpackr-extract`, a
// shared library loaded by the main entry under Node): about 1 MiB of every process's memory, for
// faster decoding of long strings only (docs/memory.md "The supervisor").
import { Packr, addExtension } from 'msgpackr/pack';
import { Code, PeersError } from '../errors.js';

/** msgpack extension type of Error values on the wire. */
const ERROR_EXT = 0x45;

class FunctionFound extends Error {}

const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  // Without this hook msgpackr silently writes `undefined` for functions.
  writeFunction: () => {
    throw new FunctionFound('function');
  },
});

interface WireError {
  name: string;
  message: string;
  stack?: string;
  props?: Record<string, unknown>;
  cause?: unknown;
}

const ERROR_CONSTRUCTORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const SKIPPED_ERROR_KEYS = new Set(['name', 'message', 'stack', 'cause']);

// msgpackr extensions are process-wide; registering the Error type once here is the only place.
addExtension({
  Class: Error,
  type: ERROR_EXT,
  write(error: Error): WireError {
    const wire: WireError = { name: error.name, message: error.message };
    if (typeof error.stack === 'string') wire.stack = error.stack;
    const props = serializableProps(error);
    if (props) wire.props = props;
    if ('cause' in error && isSendable(error.cause, 0)) wire.cause = error.cause;
    return wire;
  },
  read(wire: WireError): Error {
    const Ctor = ERROR_CONSTRUCTORS[wire.name] ?? Error;
    const error = new Ctor(String(wire.message ?? ''));
    if (error.name !== wire.name) {
      Object.defineProperty(error, 'name', {
        value: String(wire.name),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    if (typeof wire.stack === 'string') error.stack = wire.stack;
    if (wire.cause !== undefined)
      Object.defineProperty(error, 'cause', { value: wire.cause, writable: true, configurable: true });
    if (wire.props && typeof wire.props === 'object') {
      for (const [key, value] of Object.entries(wire.props)) {
        if (key === '__proto__' || SKIPPED_ERROR_KEYS.has(key)) continue;
        (error as unknown as Record<string, unknown>)[key] = value;
      }
    }
    return error;
  },
});

/** Own enumerable properties of an error (code, errno, address...) that can cross the wire. */
function serializableProps(error: Error): Record<string, unknown> | undefined {
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(error)) {
    if (SKIPPED_ERROR_KEYS.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (!isSendable(value, 0)) continue;
    props ??= {};
    props[key] = value;
  }
  return props;
}

/** A cheap, depth-limited check used for error properties, which must never make a send fail. */
function isSendable(value: unknown, depth: number): boolean {
  if (depth > 4) return false;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return true;
    case 'object':
      if (value === null || value instanceof Date || value instanceof Uint8Array || value instanceof Error) return true;
      if (Array.isArray(value)) return value.length <= 1000 && value.every((v) => isSendable(v, depth + 1));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value as object).every((v) => isSendable(v, depth + 1));
    default:
      return false;
  }
}

/**
 * Encode one value. Throws a {@link Code.NOT_SERIALIZABLE} PeersError naming the bad path; when
 * `culprit` is given, the path is searched in it (the user's arguments inside a message tuple).
 */
export function encode(value: unknown, label: string | (() => string) = 'value', culprit: unknown = value): Buffer {
  try {
    return packr.pack(value);
  } catch (cause) {
    if (typeof label === 'function') label = label();
    const found = findUnserializable(culprit, label) ?? findUnserializable(value, label);
    throw new PeersError(
      Code.NOT_SERIALIZABLE,
      found ?? `${label}: cannot be serialized (${(cause as Error).message})`,
      { cause },
    );
  }
}

/**
 * Decode `bytes[start..end)` (all of it by default). Decoding in place in the received chunk
 * spares a view per frame. Throws a {@link Code.BAD_FRAME} PeersError on malformed bytes.
 */
export function decode(bytes: Uint8Array, start = 0, end = bytes.length): unknown {
  if (start >= end) throw new PeersError(Code.BAD_FRAME, 'empty message body where one was expected');
  try {
    return packr.unpack(bytes, { start, end });
  } catch (cause) {
    throw new PeersError(
      Code.BAD_FRAME,
      `malformed frame payload (${end - start} bytes): ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Walk a value and describe the first thing that cannot be sent, as `path: reason`
 * (`args[1].onDone: a function cannot be sent`). Returns undefined when all is sendable.
 */
export function findUnserializable(value: unknown, path = 'value', seen: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case 'function':
      return `${path}: a function cannot be sent (only a last-argument callback is allowed)`;
    case 'symbol':
      return `${path}: a symbol cannot be sent`;
    case 'object': {
      if (value === null || value instanceof Date || value instanceof Uint8Array || value instanceof Error)
        return undefined;
      if (seen.has(value)) return `${path}: a cyclic reference cannot be sent`;
      seen.add(value);
      const entries: Array<[string, unknown]> = Array.isArray(value)
        ? value.map((v, i) => [`${path}[${i}]`, v])
        : value instanceof Map
          ? [...value.entries()].map(([k, v]) => [`${path}.get(${String(k)})`, v])
          : value instanceof Set
            ? [...value].map((v, i) => [`${path}<${i}>`, v])
            : Object.entries(value).map(([k, v]) => [`${path}.${k}`, v]);
      for (const [childPath, child] of entries) {
        const found = findUnserializable(child, childPath, seen);
        if (found) return found;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return undefined;
  }
}
