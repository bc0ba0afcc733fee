/**
 * The two KNXnet/IP frames of our own heartbeat (KNXnet/IP Core, 03.08.02 §7.8.3):
 * CONNECTIONSTATE_REQUEST (0x0207) with the channel and the client's control endpoint, and the
 * server's CONNECTIONSTATE_RESPONSE (0x0208) with the channel and a status. Pure.
 */
import { KnxCode, KnxError } from '../errors.js';

/** Service type of a CONNECTIONSTATE_REQUEST. */
export const CONNECTIONSTATE_REQUEST = 0x0207;
/** Service type of a CONNECTIONSTATE_RESPONSE. */
export const CONNECTIONSTATE_RESPONSE = 0x0208;

const HEADER_SIZE = 0x06;
const PROTOCOL_VERSION = 0x10;

/** Status codes of a CONNECTIONSTATE_RESPONSE (03.08.02 §7.8.4). */
export const CONNECTION_STATUS: Readonly<Record<number, string>> = {
  0x00: 'E_NO_ERROR',
  0x21: 'E_CONNECTION_ID (the server does not know the channel)',
  0x26: 'E_DATA_CONNECTION',
  0x27: 'E_KNX_CONNECTION',
};

/** The client's control endpoint as the request carries it; `0.0.0.0:0` asks the server to answer the sender (NAT mode). */
export interface ControlEndpoint {
  readonly protocol: 'udp' | 'tcp';
  readonly ip: string;
  readonly port: number;
}

/** A CONNECTIONSTATE_REQUEST for `channel` (16 bytes). */
export function connectionStateRequest(
  channel: number,
  endpoint: ControlEndpoint = { protocol: 'udp', ip: '0.0.0.0', port: 0 },
): Uint8Array {
  const frame = new Uint8Array(16);
  const view = new DataView(frame.buffer);
  frame.set([HEADER_SIZE, PROTOCOL_VERSION]);
  view.setUint16(2, CONNECTIONSTATE_REQUEST);
  view.setUint16(4, frame.length);
  frame[6] = channel & 0xff;
  frame[7] = 0; // reserved
  frame[8] = 0x08; // HPAI structure length
  frame[9] = endpoint.protocol === 'udp' ? 0x01 : 0x02; // IPV4_UDP / IPV4_TCP
  const octets = endpoint.ip.split('.').map(Number);
  frame.set(octets.length === 4 && octets.every((o) => o >= 0 && o <= 255) ? octets : [0, 0, 0, 0], 10);
  view.setUint16(14, endpoint.port & 0xffff);
  return frame;
}

/** A parsed CONNECTIONSTATE_RESPONSE. */
export interface ConnectionStateResponse {
  readonly channel: number;
  readonly status: number;
}

/**
 * `frame` as a CONNECTIONSTATE_RESPONSE, `undefined` when it is another (well-formed) KNXnet/IP
 * service, and `KNX_BAD_FRAME` when it is no KNXnet/IP frame at all or its lengths disagree.
 */
export function parseConnectionStateResponse(frame: Uint8Array): ConnectionStateResponse | undefined {
  if (frame.length < HEADER_SIZE)
    throw new KnxError(KnxCode.BAD_FRAME, `KNXnet/IP frame of ${frame.length} byte(s), shorter than its 6-byte header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame[0] !== HEADER_SIZE || frame[1] !== PROTOCOL_VERSION) {
    throw new KnxError(KnxCode.BAD_FRAME, `KNXnet/IP header starts ${hex(frame.subarray(0, 2))}, expected 0610`);
  }
  const total = view.getUint16(4);
  if (total !== frame.length)
    throw new KnxError(KnxCode.BAD_FRAME, `KNXnet/IP frame says ${total} bytes, has ${frame.length}`);
  if (view.getUint16(2) !== CONNECTIONSTATE_RESPONSE) return undefined;
  if (frame.length !== 8)
    throw new KnxError(KnxCode.BAD_FRAME, `CONNECTIONSTATE_RESPONSE of ${frame.length} bytes, expected 8`);
  return { channel: frame[6]!, status: frame[7]! };
}

/** `E_CONNECTION_ID (...)` or `status 0x42`. */
export function describeConnectionStatus(status: number): string {
  return CONNECTION_STATUS[status] ?? `status 0x${status.toString(16).padStart(2, '0')}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
