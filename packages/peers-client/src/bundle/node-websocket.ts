/**
 * A minimal WebSocket client (RFC 6455) for Node.js without packages: Node 20 has no global
 * WebSocket, and the connect bundle cannot count on `ws` being installed. It uses the built-ins
 * it is handed (`require('http' | 'https' | 'crypto')`, from the script that evaluated the bundle)
 * and looks like a browser's WebSocket ({@link SocketLike}). It sends binary messages only, in one
 * masked frame each; it reads fragmented messages, answers pings and the closing handshake.
 */
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type { Socket } from 'node:net';
import { CLOSED, CONNECTING, OPEN, type SocketLike, type TlsOptions } from './socket-like.js';

/** The `require` of a CommonJS scope, for Node built-ins. */
export type NodeRequire = (id: string) => unknown;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455 section 1.3
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** A browser-style WebSocket over Node's http/https upgrade. */
export class NodeWebSocket implements SocketLike {
  binaryType = 'arraybuffer';
  readyState: number = CONNECTING;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  private socket: Socket | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentsBytes = 0;
  private fragmentsOpcode = 0;
  private closeSent = false;
  private closeCode = 1006;
  private readonly crypto: typeof Crypto;

  /**
   * @param url `ws://` or `wss://` URL (query included)
   * @param headers extra HTTP headers sent with the upgrade request
   * @param maxPayload largest message accepted, bytes; a larger one closes with 1009
   * @param nodeRequire a CommonJS `require`, for http, https and crypto
   * @param tls options of `https.request` for `wss://` (`ca`, `servername`, `rejectUnauthorized`...)
   */
  constructor(
    url: string,
    headers: Record<string, string>,
    private readonly maxPayload: number,
    nodeRequire: NodeRequire,
    tls: TlsOptions = {},
  ) {
    const target = new URL(url);
    const secure = target.protocol === 'wss:';
    const http = nodeRequire(secure ? 'https' : 'http') as typeof Http;
    this.crypto = nodeRequire('crypto') as typeof Crypto;
    const key = this.crypto.randomBytes(16).toString('base64');
    const request = http.request({
      ...(secure ? tls : {}),
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || (secure ? 443 : 80),
      path: target.pathname + target.search,
      headers: {
        ...headers,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
      },
    });
    request.on('response', (response: Http.IncomingMessage) => {
      response.resume();
      this.failConnect(
        new Error(`${target.host}: upgrade refused with HTTP ${response.statusCode}`),
        response.statusCode,
      );
    });
    request.on('error', (error: Error) => this.failConnect(error));
    request.on('upgrade', (response: Http.IncomingMessage, socket: Socket, head: Buffer) => {
      const expected = this.crypto
        .createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      if (response.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        this.failConnect(new Error(`${target.host}: bad Sec-WebSocket-Accept in the upgrade answer`));
        return;
      }
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.receive(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.closed());
      this.readyState = OPEN;
      this.onopen?.({});
      if (head.length > 0) this.receive(head);
    });
    request.end();
  }

  get bufferedAmount(): number {
    return this.socket?.writableLength ?? 0;
  }

  send(data: Uint8Array): void {
    if (this.readyState !== OPEN || !this.socket) return;
    this.socket.write(this.frame(OP_BINARY, data));
  }

  close(code = 1000): void {
    if (this.readyState === CLOSED) return;
    if (this.readyState === CONNECTING || !this.socket) {
      this.failConnect(new Error('closed before the connection was open'));
      return;
    }
    this.readyState = 2;
    this.sendClose(code);
    // A server that never answers the close must not keep the socket open.
    const socket = this.socket;
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private failConnect(error: Error, status?: number): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onerror?.({ error, message: error.message, status });
    this.onclose?.({ code: 1006, reason: error.message });
  }

  private closed(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code: this.closeCode });
  }

  private sendClose(code: number): void {
    if (this.closeSent || !this.socket) return;
    this.closeSent = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.socket.write(this.frame(OP_CLOSE, body));
  }

  /** One final, masked frame (clients must mask, RFC 6455 section 5.3). */
  private frame(opcode: number, payload: Uint8Array): Buffer {
    const n = payload.length;
    const lengthBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
    const out = Buffer.allocUnsafe(2 + lengthBytes + 4 + n);
    out[0] = 0x80 | opcode;
    if (lengthBytes === 0) out[1] = 0x80 | n;
    else if (lengthBytes === 2) {
      out[1] = 0x80 | 126;
      out.writeUInt16BE(n, 2);
    } else {
      out[1] = 0x80 | 127;
      out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
      out.writeUInt32BE(n >>> 0, 6);
    }
    const maskAt = 2 + lengthBytes;
    this.crypto.randomFillSync(out, maskAt, 4);
    for (let i = 0; i < n; i++) out[maskAt + 4 + i] = payload[i]! ^ out[maskAt + (i & 3)]!;
    return out;
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const b = this.pending;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let length = b[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = b.readUInt32BE(2) * 2 ** 32 + b.readUInt32BE(6);
        at = 10;
      }
      if (length > this.maxPayload || this.fragmentsBytes + length > this.maxPayload) return this.abort(1009);
      const maskAt = at;
      if (masked) at += 4;
      if (b.length < at + length) return;
      const payload = Buffer.from(b.subarray(at, at + length));
      if (masked) for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ b[maskAt + (i & 3)]!;
      this.pending = b.subarray(at + length);
      if (this.readyState === CLOSED) return;
      this.control(fin, opcode, payload);
    }
  }

  private control(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP_PING) {
      this.socket?.write(this.frame(OP_PONG, payload));
    } else if (opcode === OP_CLOSE) {
      this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.readyState = 2;
      this.sendClose(this.closeCode === 1005 ? 1000 : this.closeCode);
      this.socket?.end();
    } else if (opcode === OP_TEXT || opcode === OP_BINARY || opcode === OP_CONTINUATION) {
      if (opcode !== OP_CONTINUATION) this.fragmentsOpcode = opcode;
      this.fragments.push(payload);
      this.fragmentsBytes += payload.length;
      if (!fin) return;
      const data =
        this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments, this.fragmentsBytes);
      this.fragments = [];
      this.fragmentsBytes = 0;
      this.onmessage?.({ data: this.fragmentsOpcode === OP_TEXT ? data.toString('utf8') : data });
    }
    // OP_PONG and unknown opcodes: nothing to do.
  }

  private abort(code: number): void {
    this.closeCode = code;
    this.sendClose(code);
    this.socket?.destroy();
  }
}
