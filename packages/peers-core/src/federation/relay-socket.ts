/**
 * A dgram-like socket over site datagrams (seed 004), for programs that expect node:dgram's
 * Socket: `bind([port], [cb])`, `send(buf, offset, length, port, site, [cb])`,
 * `on('message', (buf, rinfo))`, `address()`, `close([cb])`, and the events `listening`,
 * `message`, `error`, `close`. Addresses are site names and the family is `peer-relay`.
 * Delivery and order are not guaranteed, as with UDP.
 */
import { EventEmitter } from 'node:events';
import { Code, PeersError } from '../errors.js';

/** `address()` of a socket, and the `rinfo` of a message (the sender's site and port). */
export interface RelayAddress {
  address: string;
  port: number;
  family: 'peer-relay';
  /** Bytes of the message (rinfo only). */
  size?: number;
}

/** What a socket needs of its federation. */
export interface RelayHost {
  readonly site: string;
  /** Claim a port for `socket` (0: any free one); returns the port or throws ADDRESS_IN_USE. */
  bindPort(port: number, socket: RelaySocket): number;
  releasePort(port: number, socket: RelaySocket): void;
  /** Send bytes to `site`'s `toPort`; false when the site is unreachable now. */
  sendBytes(site: string, data: Uint8Array, toPort: number, fromPort: number): boolean;
}

type Callback = (error: Error | null, bytes?: number) => void;

export class RelaySocket extends EventEmitter {
  private port: number | undefined;
  private closed = false;

  constructor(private readonly host: RelayHost) {
    super();
  }

  /** Take a port (any free one when absent or 0); `listening` follows on the next tick. */
  bind(port?: number | (() => void), cb?: () => void): this {
    if (typeof port === 'function') [cb, port] = [port, undefined];
    this.assertOpen('bind');
    if (this.port !== undefined)
      throw new PeersError(
        Code.BAD_ARGUMENT,
        `socket of site "${this.host.site}" is already bound to port ${this.port}`,
      );
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new PeersError(Code.BAD_ARGUMENT, `bind: expected a port 0-65535, got ${String(port)}`);
    this.port = this.host.bindPort(port ?? 0, this);
    if (cb) this.once('listening', cb);
    process.nextTick(() => this.emit('listening'));
    return this;
  }

  /**
   * Send `buf[offset, offset + length)` to port `port` of site `site`. Binds first if needed.
   * `cb(error, bytes)`; without `cb` an unreachable site is an `error` event (PEER_DISCONNECTED).
   */
  send(buf: Uint8Array | string, offset: number, length: number, port: number, site: string, cb?: Callback): void {
    this.assertOpen('send');
    const bytes = typeof buf === 'string' ? Buffer.from(buf) : buf;
    if (!(bytes instanceof Uint8Array))
      throw new PeersError(Code.BAD_ARGUMENT, 'send: expected a Buffer, Uint8Array or string');
    if (
      !Number.isInteger(offset) ||
      !Number.isInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > bytes.length
    ) {
      throw new PeersError(
        Code.BAD_ARGUMENT,
        `send: offset ${offset} and length ${length} do not fit a buffer of ${bytes.length} bytes`,
      );
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new PeersError(Code.BAD_ARGUMENT, `send: expected a port 1-65535, got ${String(port)}`);
    if (typeof site !== 'string' || site === '')
      throw new PeersError(Code.BAD_ARGUMENT, 'send: expected the site name as the address');
    if (this.port === undefined) this.bind();
    const sent = this.host.sendBytes(site, bytes.subarray(offset, offset + length), port, this.port!);
    const error = sent
      ? null
      : new PeersError(Code.PEER_DISCONNECTED, `send: site "${site}" is not reachable from "${this.host.site}"`);
    process.nextTick(() => {
      if (cb) cb(error, sent ? length : 0);
      else if (error) this.emit('error', error);
    });
  }

  /** This site and the bound port. Throws BAD_ARGUMENT when not bound. */
  address(): RelayAddress {
    if (this.port === undefined)
      throw new PeersError(Code.BAD_ARGUMENT, `socket of site "${this.host.site}" is not bound`);
    return { address: this.host.site, port: this.port, family: 'peer-relay' };
  }

  /** Release the port; `close` follows on the next tick. */
  close(cb?: () => void): this {
    if (this.closed) return this;
    this.closed = true;
    if (this.port !== undefined) this.host.releasePort(this.port, this);
    if (cb) this.once('close', cb);
    process.nextTick(() => this.emit('close'));
    return this;
  }

  /** A datagram for this socket's port (called by the federation). */
  receive(data: Uint8Array, from: { site: string; port: number }): void {
    if (this.closed) return;
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.emit('message', buf, {
      address: from.site,
      port: from.port,
      family: 'peer-relay',
      size: buf.length,
    } satisfies RelayAddress);
  }

  /** dgram compatibility: sockets of this kind never keep the process alive. */
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new PeersError(Code.CLOSED, `${what}: the socket of site "${this.host.site}" is closed`);
  }
}
