/**
 * The UDP socket under the BACnet client, in the shape `@bacnet-js/client` takes as `transport`.
 * Ours because the library's own transport cannot bind port 0 (it replaces 0 by 47808) and names a
 * sender on 47808 without its port, which makes the library drop everything from 127.0.0.1:47808.
 * Senders are always named `ip:port`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Where the socket listens and where broadcasts go. */
export interface UdpTransportOptions {
  /** UDP port; 0 lets the OS pick one (read it from `address()`). Default 47808. */
  port?: number;
  /** Local address to bind. Default `0.0.0.0`. */
  interface?: string;
  /** `ip[:port]` of broadcasts (Who-Is). Default `255.255.255.255:47808`. */
  broadcastAddress?: string;
}

/** The BACnet/IP default port (0xBAC0). */
export const BACNET_PORT = 47808;

/** Largest BVLC frame the client builds (BACnet/IP max APDU 1476 + headers). */
const MAX_PAYLOAD = 1482;

/** `ip[:port]` -> [ip, port] (port 47808 when omitted). */
export function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  if (at < 0) return [address, BACNET_PORT];
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

/** Whether `ip` is one of this host's IPv4 addresses (any 127.x counts). */
export function isLocalAddress(ip: string): boolean {
  if (ip.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((info) => info.address === ip));
}

export class UdpTransport extends EventEmitter {
  private readonly socket: Socket;
  private readonly broadcast: string;
  private bound: AddressInfo | undefined;
  /** Resolves once the socket is bound; rejects when binding fails. */
  readonly ready: Promise<AddressInfo>;

  constructor(private readonly options: UdpTransportOptions = {}) {
    super();
    this.broadcast = options.broadcastAddress ?? `255.255.255.255:${BACNET_PORT}`;
    this.socket = createSocket({ type: 'udp4' });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('listening', () => {
        this.socket.setBroadcast(true);
        this.bound = this.socket.address();
        this.emit('listening', this.bound);
        resolve(this.bound);
      });
      this.socket.once('error', reject);
    });
    this.ready.catch(() => undefined);
    this.socket.on('message', (message, from) => {
      // Our own broadcast looped back (a Who-Is sent to the port we listen on): BVLC function 0x0b
      // (original-broadcast-NPDU) from our port on one of this host's addresses.
      if (this.bound && from.port === this.bound.port && message[1] === 0x0b && isLocalAddress(from.address)) return;
      this.emit('message', message, `${from.address}:${from.port}`);
    });
    this.socket.on('error', (error) => this.emit('error', error));
    this.socket.on('close', () => this.emit('close'));
  }

  /** The bound address (after `ready`). */
  address(): AddressInfo | undefined {
    return this.bound;
  }

  getBroadcastAddress(): string {
    return this.broadcast;
  }

  getMaxPayload(): number {
    return MAX_PAYLOAD;
  }

  /** Send `length` bytes of `buffer` to `receiver` (`ip[:port]`), or broadcast when none. */
  send(buffer: Buffer, length: number, receiver?: string): void {
    const [host, port] = splitAddress(receiver ?? this.broadcast);
    this.socket.send(buffer, 0, length, port, host, (error) => {
      if (error) this.emit('error', error);
    });
  }

  open(): void {
    this.socket.bind(this.options.port ?? BACNET_PORT, this.options.interface ?? '0.0.0.0');
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
