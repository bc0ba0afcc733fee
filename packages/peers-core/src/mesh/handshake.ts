/**
 * The handshake: the dialing side sends hello (name, metadata, protocol version, token); the
 * listening side answers welcome (its name and metadata) or reject (a coded reason) and closes.
 */
import { encode } from '../codec/messagepack.js';
import { Code, PeersError, type ErrorCode } from '../errors.js';
import type { Link } from '../link/link.js';
import {
  PROTOCOL_VERSION,
  MessageType,
  assertName,
  decodeBody as bodyOf,
  readEnvelope,
  writeHeader,
  type Envelope,
} from '../codec/wire.js';

/** What a listener learns from a hello. */
export interface Hello {
  name: string;
  version: number;
  meta: Record<string, unknown>;
  token: unknown;
  /** Where the link comes from (`tcp://127.0.0.1:50412`). */
  remote: string;
}

/** What a dialer learns from a welcome. */
export interface Welcome {
  name: string;
  version: number;
  meta: Record<string, unknown>;
}

/**
 * Decides whether a hello is admitted: true admits, a string or false refuses (the string is
 * the reason told to the client). May be async.
 */
export type Authenticate = (hello: Hello) => boolean | string | Promise<boolean | string>;

export function sendBody(link: Link, type: MessageType, body: unknown): void {
  const bytes = encode(body);
  link.send(writeHeader(type, 0, '', '', '', bytes.length), bytes);
}

/** Tell the other side of an open link about an error (a NOTICE); the link stays. */
export function notify(link: Link, error: PeersError): void {
  if (!link.closed) sendBody(link, MessageType.NOTICE, { code: error.code, message: error.message });
}

/** Tell the other side why the link is refused or closed, then close it. */
export function refuse(link: Link, error: PeersError, asReject = false): void {
  if (!link.closed)
    sendBody(link, asReject ? MessageType.REJECT : MessageType.NOTICE, { code: error.code, message: error.message });
  link.close(error);
}

/**
 * The frames of one link while it handshakes: each handshake message in turn, and the frames that
 * arrive after one before the owner (the mesh, or the federation for a site link) takes the link
 * over: they can share one read with the welcome. The owner replays those first (`takeHeld`).
 */
export class HandshakeInbox {
  private held: Array<[Buffer, number, number]> = [];

  constructor(readonly link: Link) {}

  /**
   * The next frame: one already held (it came in the same read as the previous message), or the
   * next to arrive, with a timeout; framing errors and close reject.
   */
  next(timeoutMs: number, waitingFor: string): Promise<Envelope> {
    const held = this.held.shift();
    if (held) {
      try {
        return Promise.resolve(readEnvelope(...held));
      } catch (error) {
        refuse(this.link, error as PeersError);
        return Promise.reject(error as Error);
      }
    }
    return this.arrival(timeoutMs, waitingFor);
  }

  /** The frames held after the last handshake message, to be handled first by the link's owner. */
  takeHeld(): Array<[Buffer, number, number]> {
    const held = this.held;
    this.held = [];
    return held;
  }

  /** Wait for the next frame to arrive, with a timeout; the frames after it are held. */
  private arrival(timeoutMs: number, waitingFor: string): Promise<Envelope> {
    const { link } = this;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new PeersError(Code.HANDSHAKE_FAILED, `${link.remote}: no ${waitingFor} within ${timeoutMs} ms`);
        reject(error);
        link.close(error);
      }, timeoutMs);
      const stop = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      link.onclose = (error) =>
        stop(error ?? new PeersError(Code.HANDSHAKE_FAILED, `${link.remote} closed before the ${waitingFor}`));
      link.onerror = (error) => {
        stop(error);
        refuse(link, error);
      };
      link.onframe = (frame, start, end) => {
        clearTimeout(timer);
        const held: Array<[Buffer, number, number]> = [];
        this.held = held;
        link.onframe = (buf, s, e) => held.push([buf, s, e]);
        try {
          resolve(readEnvelope(frame, start, end));
        } catch (error) {
          reject(error);
          refuse(link, error as PeersError);
        }
      };
    });
  }
}

function field<K extends string>(body: unknown, key: K): unknown {
  return body && typeof body === 'object' ? (body as Record<K, unknown>)[key] : undefined;
}

function metaOf(body: unknown): Record<string, unknown> {
  const meta = field(body, 'meta');
  return meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
}

/** Dialing side: send hello, wait for welcome. Rejects with the listener's coded reason. */
export async function handshakeOut(
  inbox: HandshakeInbox,
  hello: { name: string; meta: Record<string, unknown>; token: unknown },
  timeoutMs: number,
): Promise<Welcome> {
  const { link } = inbox;
  const reply = inbox.next(timeoutMs, 'welcome');
  sendBody(link, MessageType.HELLO, { v: PROTOCOL_VERSION, name: hello.name, meta: hello.meta, token: hello.token });
  const env = await reply;
  const body = bodyOf(env);
  if (env.type === MessageType.REJECT || env.type === MessageType.NOTICE) {
    const code = String(field(body, 'code') ?? Code.HANDSHAKE_FAILED) as ErrorCode;
    const error = new PeersError(
      code,
      `${link.remote} refused "${hello.name}": ${String(field(body, 'message') ?? 'no reason given')}`,
    );
    link.close(error);
    throw error;
  }
  if (env.type !== MessageType.WELCOME) {
    const error = new PeersError(
      Code.HANDSHAKE_FAILED,
      `${link.remote} answered the hello with message type ${env.type}, not welcome`,
    );
    refuse(link, error);
    throw error;
  }
  const name = field(body, 'name');
  const version = field(body, 'v');
  try {
    assertName(name, 'name in welcome');
  } catch (error) {
    refuse(link, error as PeersError);
    throw error;
  }
  return { name, version: typeof version === 'number' ? version : 0, meta: metaOf(body) };
}

/**
 * Listening side: wait for hello, check version and name, let `admit` decide (name taken,
 * authentication), then answer welcome or reject. Resolves with the hello when admitted.
 */
export async function handshakeIn(
  inbox: HandshakeInbox,
  self: { name: string; meta: Record<string, unknown> | ((hello: Hello) => Record<string, unknown>) },
  timeoutMs: number,
  admit: (hello: Hello) => Promise<PeersError | undefined>,
): Promise<Hello> {
  const { link } = inbox;
  const env = await inbox.next(timeoutMs, 'hello');
  const fail = (error: PeersError): never => {
    refuse(link, error, true);
    throw error;
  };
  if (env.type !== MessageType.HELLO)
    fail(new PeersError(Code.HANDSHAKE_FAILED, `${link.remote}: expected a hello first, got message type ${env.type}`));
  let body: unknown;
  try {
    body = bodyOf(env);
  } catch (error) {
    fail(error as PeersError);
  }
  const version = field(body, 'v');
  if (version !== PROTOCOL_VERSION) {
    fail(
      new PeersError(
        Code.VERSION_MISMATCH,
        `protocol version ${JSON.stringify(version)} is not supported; "${self.name}" speaks version ${PROTOCOL_VERSION}`,
      ),
    );
  }
  const name = field(body, 'name');
  try {
    assertName(name, 'name in hello');
  } catch (error) {
    fail(error as PeersError);
  }
  const hello: Hello = {
    name: name as string,
    version: PROTOCOL_VERSION,
    meta: metaOf(body),
    token: field(body, 'token'),
    remote: link.remote,
  };
  const refusal = await admit(hello);
  if (refusal) fail(refusal);
  const meta = typeof self.meta === 'function' ? self.meta(hello) : self.meta;
  sendBody(link, MessageType.WELCOME, { v: PROTOCOL_VERSION, name: self.name, meta });
  return hello;
}
