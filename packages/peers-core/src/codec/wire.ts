/**
 * The peers message on the wire: a small binary routing header followed by a MessagePack body.
 *
 *     u8 type | u8 ttl | u8 toLen | to | u8 fromLen | from | u16 topicLen | topic | body
 *
 * Hubs read and rewrite only the header (stamp the sender, count the hop) and forward the body
 * bytes untouched, so a routed call costs one header parse per hop, not a decode and re-encode.
 * Pure: bytes in, values out.
 */
import { decode } from './messagepack.js';
import { Code, PeersError } from '../errors.js';
import { HEADER_BYTES } from './frame-decoder.js';

/** Protocol version spoken by this build; a hello with another major version is rejected. */
export const PROTOCOL_VERSION = 1;
/** Default hop limit of a routed message. */
export const DEFAULT_TTL = 16;

/** Message types: the first byte of every header. */
export const MessageType = {
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
  /** Site routes on a site link (docs/federation.md): `[[site, path][], removedSites[]]`. */
  SITES: 15,
  /** Last step of a site handshake: the dialer's proof, then the listener's acceptance. */
  SITE_AUTH: 16,
  /** A datagram between federated hubs (no answer, no delivery guarantee): `[epoch, seq, toPort, fromPort, data]`. */
  DATAGRAM: 17,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

const MAX_TYPE = 17;

/**
 * A parsed header. The frame stays where it arrived: its payload is `src[start..end)` with the
 * 4-byte length prefix right before `start`, and the body is `src[bodyStart..end)` (not decoded).
 */
export interface Envelope {
  type: MessageType;
  ttl: number;
  to: string;
  from: string;
  topic: string;
  src: Buffer;
  start: number;
  bodyStart: number;
  end: number;
  /** Set when this node wrote `from` (the originator left it empty): the header must be rebuilt. */
  stamped?: boolean;
}

/**
 * The bytes to send to pass a message on with one hop less: the frame as it arrived (ttl patched
 * in place) when its header is unchanged, else a new header and the untouched body.
 */
export function relayed(env: Envelope, from: string, to: string): [Buffer, Buffer?] {
  if (!env.stamped) {
    env.src[env.start + 1] = env.ttl - 1;
    return [env.src.subarray(env.start - HEADER_BYTES, env.end)];
  }
  return [writeHeader(env.type, env.ttl - 1, to, from, env.topic, env.end - env.bodyStart), bodyOf(env)];
}

/** Decode an envelope's body in place. Throws BAD_FRAME on malformed or missing bytes. */
export function decodeBody(env: Envelope): unknown {
  return decode(env.src, env.bodyStart, env.end);
}

/** The byte of `@` in a qualified name `name@site` (names and sites never contain it). */
const SITE_SEPARATOR_BYTE = 0x40;

/**
 * Whether the header at `buf[start..]` has a sender that leaves this site unqualified: a non-empty
 * `from` without `@` (a local peer, or the hub itself). Read in place, without parsing the header:
 * a site link asks it of every frame it sends.
 */
export function senderNeedsSite(buf: Buffer, start: number): boolean {
  const fromAt = start + 3 + buf[start + 2]!;
  const fromEnd = fromAt + 1 + buf[fromAt]!;
  if (fromEnd === fromAt + 1) return false;
  for (let i = fromAt + 1; i < fromEnd; i++) if (buf[i] === SITE_SEPARATOR_BYTE) return false;
  return true;
}

/** The body bytes of an envelope, as a view. */
export function bodyOf(env: Envelope): Buffer {
  return env.src.subarray(env.bodyStart, env.end);
}

type FastBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/** type -> to -> from -> topic -> header bytes. Nested maps look up the caller's own strings, whose hashes V8 keeps. */
const headerCache: Array<Map<string, Map<string, Map<string, Buffer>>>> = [];
let cachedHeaders = 0;
const HEADER_CACHE_MAX = 4096;

/**
 * Cached headers live in slabs of their own. A small `Buffer.allocUnsafe` is a view of Node's shared
 * 8 KiB pool, and a view kept in the cache keeps its whole pool alive: a Modbus driver reporting
 * 1,000 registers held one pool per cached `newValue <key>` header, and grew by 8 KiB a header
 * (docs/memory.md "Cached headers and compaction").
 */
const SLAB_BYTES = 8 * 1024;
let slab = Buffer.alloc(0);
let slabUsed = 0;

/** A copy of `bytes` that shares memory only with other cached headers. */
function keep(bytes: Buffer): Buffer {
  const n = bytes.length;
  if (n > SLAB_BYTES / 8) {
    const own = Buffer.allocUnsafeSlow(n);
    bytes.copy(own);
    return own;
  }
  if (slabUsed + n > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const kept = slab.subarray(slabUsed, slabUsed + n);
  bytes.copy(kept);
  slabUsed += n;
  return kept;
}

function cachedHeader(type: MessageType, to: string, from: string, topic: string): Buffer {
  let byTo = headerCache[type];
  if (!byTo) headerCache[type] = byTo = new Map();
  let byFrom = byTo.get(to);
  if (!byFrom) byTo.set(to, (byFrom = new Map()));
  let byTopic = byFrom.get(from);
  if (!byTopic) byFrom.set(from, (byTopic = new Map()));
  let header = byTopic.get(topic);
  if (!header) {
    header = encodeHeader(type, to, from, topic);
    if (++cachedHeaders > HEADER_CACHE_MAX) {
      headerCache.length = 0;
      cachedHeaders = 0;
      slabUsed = slab.length; // the old slabs go with the old entries
    } else {
      byTopic.set(topic, keep(header));
    }
  }
  return header;
}

/**
 * Build the frame prefix (length + header) for a body of `bodyLength` bytes. The caller sends
 * the prefix followed by the body, so bodies are never copied to be framed. Headers are cached
 * per (type, to, from, topic): a stream of calls to one module costs a short byte copy each.
 */
export function writeHeader(
  type: MessageType,
  ttl: number,
  to: string,
  from: string,
  topic: string,
  bodyLength: number,
): Buffer {
  const header = cachedHeader(type, to, from, topic);
  const n = header.length;
  const out = Buffer.allocUnsafe(HEADER_BYTES + n);
  const length = n + bodyLength;
  out[0] = length >>> 24;
  out[1] = (length >>> 16) & 0xff;
  out[2] = (length >>> 8) & 0xff;
  out[3] = length & 0xff;
  for (let i = 0; i < n; i++) out[HEADER_BYTES + i] = header[i]!;
  out[HEADER_BYTES + 1] = ttl;
  return out;
}

function encodeHeader(type: MessageType, to: string, from: string, topic: string): Buffer {
  const toLen = Buffer.byteLength(to, 'latin1');
  const fromLen = Buffer.byteLength(from, 'latin1');
  const topicLen = Buffer.byteLength(topic, 'utf8');
  if (toLen > 255 || fromLen > 255 || topicLen > 0xffff)
    throw new PeersError(
      Code.BAD_ARGUMENT,
      `header field too long (to ${toLen}, from ${fromLen}, topic ${topicLen} bytes)`,
    );
  const out = Buffer.allocUnsafe(6 + toLen + fromLen + topicLen);
  let p = 0;
  out[p++] = type;
  out[p++] = 0;
  out[p++] = toLen;
  p += out.write(to, p, 'latin1');
  out[p++] = fromLen;
  p += out.write(from, p, 'latin1');
  out.writeUInt16BE(topicLen, p);
  p += 2;
  out.write(topic, p, 'utf8');
  return out;
}

/** The last header parsed of one message type: its bytes (from the `to` length on) and strings. */
interface ParsedHeader {
  /** A slot of its own, reused: a view of the frame or of Node's buffer pool would keep either alive. */
  readonly bytes: Buffer;
  length: number;
  to: string;
  from: string;
  topic: string;
}
/** Headers of up to this many bytes (from the `to` length on) are remembered. */
const PARSED_HEADER_MAX = 256;
const lastHeaders: Array<ParsedHeader | undefined> = [];

function sameBytes(src: Buffer, at: number, last: ParsedHeader): boolean {
  const { bytes, length } = last;
  for (let i = 0; i < length; i++) if (src[at + i] !== bytes[i]) return false;
  return true;
}

/** Parse the header of the frame `src[start..end)`. Throws a {@link Code.BAD_FRAME} PeersError naming the bad field. */
export function readEnvelope(src: Buffer, start = 0, end = src.length): Envelope {
  const n = end - start;
  if (n < 6) throw bad(`frame of ${n} bytes is shorter than the 6-byte message header`);
  const b = src as FastBuffer;
  const type = b[start]!;
  if (type < 1 || type > MAX_TYPE) throw bad(`unknown message type ${type}`);
  const ttl = b[start + 1]!;
  let p = start + 2;
  const toLen = b[p++]!;
  if (p + toLen + 1 > end) throw bad(`header field "to" (${toLen} bytes) runs past the end of the frame`);
  const toStart = p;
  p += toLen;
  const fromLen = b[p++]!;
  if (p + fromLen + 2 > end) throw bad(`header field "from" (${fromLen} bytes) runs past the end of the frame`);
  p += fromLen;
  const topicLen = (b[p]! << 8) + b[p + 1]!;
  p += 2;
  if (p + topicLen > end) throw bad(`header field "topic" (${topicLen} bytes) runs past the end of the frame`);
  p += topicLen;
  // Streams repeat headers (a run of results, an event stream): reuse the strings parsed from
  // the last identical header of this type, so the route and interest lookups hit V8's cached
  // string hashes instead of hashing fresh strings.
  const last = lastHeaders[type];
  let to: string;
  let from: string;
  let topic: string;
  if (last && last.length === p - toStart + 1 && sameBytes(b, toStart - 1, last)) {
    to = last.to;
    from = last.from;
    topic = last.topic;
  } else {
    let q = toStart;
    to = toLen === 0 ? '' : b.latin1Slice(q, q + toLen);
    q += toLen + 1;
    from = fromLen === 0 ? '' : b.latin1Slice(q, q + fromLen);
    q += fromLen + 2;
    topic = topicLen === 0 ? '' : b.utf8Slice(q, q + topicLen);
    const length = p - toStart + 1;
    if (length <= PARSED_HEADER_MAX) {
      const slot = (lastHeaders[type] ??= {
        bytes: Buffer.allocUnsafeSlow(PARSED_HEADER_MAX),
        length: 0,
        to: '',
        from: '',
        topic: '',
      });
      b.copy(slot.bytes, 0, toStart - 1, p);
      slot.length = length;
      slot.to = to;
      slot.from = from;
      slot.topic = topic;
    }
  }
  return { type: type as MessageType, ttl, to, from, topic, src, start, bodyStart: p, end };
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

/** Site names (federation): 1-63 lowercase letters, digits and `-`, starting with a letter or digit. */
export const SITE_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Throws an {@link Code.INVALID_NAME} PeersError unless `site` is a valid site name. */
export function assertSite(site: unknown, what = 'site name'): asserts site is string {
  if (typeof site !== 'string' || !SITE_PATTERN.test(site)) {
    throw new PeersError(
      Code.INVALID_NAME,
      `invalid ${what} ${JSON.stringify(site)}: expected 1-63 lowercase letters, digits and - (pattern ${SITE_PATTERN})`,
    );
  }
}

/**
 * Throws unless `target` is a peer name or a peer of another site, `name@site` (peer names never
 * contain `@`, so the split is unambiguous).
 */
export function assertTarget(target: unknown, what = 'peer name'): asserts target is string {
  if (typeof target === 'string') {
    const at = target.indexOf('@');
    if (at > 0) {
      assertName(target.slice(0, at), what);
      assertSite(target.slice(at + 1), `site in ${what} ${JSON.stringify(target)}`);
      return;
    }
  }
  assertName(target, what);
}

/**
 * Names a ROUTES message may carry: peer names, and `@site` for a site reachable through the
 * sender (announced by a federated hub to its local peers).
 */
export function assertRouteName(name: unknown, what = 'name in routes message'): asserts name is string {
  if (typeof name === 'string' && name.charCodeAt(0) === 64 /* @ */) assertSite(name.slice(1), what);
  else assertName(name, what);
}
