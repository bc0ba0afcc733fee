/**
 * The peers message on the wire: a small binary routing header followed by a MessagePack body.
 *
 *     u8 type | u8 ttl | u8 toLen | to | u8 fromLen | from | u16 topicLen | topic | body
 *
 * Hubs read and rewrite only the header (stamp the sender, count the hop) and forward the body
 * bytes untouched, so a routed call costs one header parse per hop, not a decode and re-encode.
 * Pure: bytes in, values out.
 */
import { Code, PeersError } from './errors.js';
import { HEADER_BYTES } from './frame-decoder.js';

/** Protocol version spoken by this build; a hello with another major version is rejected. */
export const PROTOCOL_VERSION = 1;
/** Default hop limit of a routed message. */
export const DEFAULT_TTL = 16;

/** Message types. */
export const T = {
  HELLO: 1,
  WELCOME: 2,
  REJECT: 3,
  ROUTES: 4,
  CALL: 5,
  DESCRIBE: 6,
  RESULT: 7,
  SUB: 8,
  UNSUB: 9,
  SUB_ACK: 10,
  EVENT: 11,
  EMIT: 12,
  PING: 13,
  NOTICE: 14,
} as const;
export type MessageType = (typeof T)[keyof typeof T];

const MAX_TYPE = 14;

/** A parsed header; `body` is a view into the frame (not decoded). */
export interface Envelope {
  type: MessageType;
  ttl: number;
  to: string;
  from: string;
  topic: string;
  body: Buffer;
}

/**
 * Build the frame prefix (length + header) for a body of `bodyLength` bytes. The caller sends
 * the prefix followed by the body, so bodies are never copied to be framed.
 */
export function writeHeader(type: MessageType, ttl: number, to: string, from: string, topic: string, bodyLength: number): Buffer {
  const toLen = Buffer.byteLength(to, 'latin1');
  const fromLen = Buffer.byteLength(from, 'latin1');
  const topicLen = Buffer.byteLength(topic, 'utf8');
  const headerLen = 6 + toLen + fromLen + topicLen;
  const out = Buffer.allocUnsafe(HEADER_BYTES + headerLen);
  out.writeUInt32BE(headerLen + bodyLength, 0);
  let p = HEADER_BYTES;
  out[p++] = type;
  out[p++] = ttl;
  out[p++] = toLen;
  p += out.write(to, p, 'latin1');
  out[p++] = fromLen;
  p += out.write(from, p, 'latin1');
  out.writeUInt16BE(topicLen, p);
  p += 2;
  out.write(topic, p, 'utf8');
  return out;
}

/** Parse a frame's header. Throws a {@link Code.BAD_FRAME} PeersError naming the bad field. */
export function readEnvelope(frame: Buffer): Envelope {
  const n = frame.length;
  if (n < 6) throw bad(`frame of ${n} bytes is shorter than the 6-byte message header`);
  const type = frame[0]!;
  if (type < 1 || type > MAX_TYPE) throw bad(`unknown message type ${type}`);
  const ttl = frame[1]!;
  let p = 2;
  const toLen = frame[p++]!;
  if (p + toLen + 1 > n) throw bad(`header field "to" (${toLen} bytes) runs past the end of the frame`);
  const to = frame.toString('latin1', p, p + toLen);
  p += toLen;
  const fromLen = frame[p++]!;
  if (p + fromLen + 2 > n) throw bad(`header field "from" (${fromLen} bytes) runs past the end of the frame`);
  const from = frame.toString('latin1', p, p + fromLen);
  p += fromLen;
  const topicLen = frame.readUInt16BE(p);
  p += 2;
  if (p + topicLen > n) throw bad(`header field "topic" (${topicLen} bytes) runs past the end of the frame`);
  const topic = topicLen === 0 ? '' : frame.toString('utf8', p, p + topicLen);
  p += topicLen;
  return { type: type as MessageType, ttl, to, from, topic, body: frame.subarray(p) };
}

function bad(message: string): PeersError {
  return new PeersError(Code.BAD_FRAME, message);
}

/** Names: 1-128 characters of letters, digits and `_ - . : ~`, starting with a letter, digit or `_`. */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:~-]{0,127}$/;

/** Throws an {@link Code.INVALID_NAME} PeersError unless `name` is a valid peer name. */
export function assertName(name: unknown, what = 'peer name'): asserts name is string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new PeersError(
      Code.INVALID_NAME,
      `invalid ${what} ${JSON.stringify(name)}: expected 1-128 characters of letters, digits and _-.:~ (pattern ${NAME_PATTERN})`,
    );
  }
}
