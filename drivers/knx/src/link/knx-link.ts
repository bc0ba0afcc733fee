/**
 * One KNXnet/IP connection through `knxultimate`: tunnelling over UDP, or routing (multicast).
 * knxultimate 5.4's TCP tunnelling always opens a KNX Secure session (SECURE_SESSION_REQUEST
 * first), which a plain TCP tunnelling server refuses; this driver offers no KNX Secure, so no TCP.
 * The library does the frames, sequence numbers, TUNNELLING_ACKs and their repeat; this adds what
 * it lacks for a gateway that runs for years: a heartbeat that notices a dead tunnel within
 * seconds, a missing TUNNELLING_ACK as a lost connection, the bus rate limit, and group telegrams
 * as plain data (raw group address, kind, bytes).
 */
import { networkInterfaces } from 'node:os';
import { KNXClient, type KNXClientOptions } from 'knxultimate';
import { KnxCode, KnxError } from '../errors.js';
import { formatGroupAddress } from '../group-address.js';
import type { TelegramData } from '../dpt/dpt-codec.js';
import { connectionStateRequest, parseConnectionStateResponse } from './connection-state-frames.js';
import { AckTracker } from './ack-tracker.js';
import { Heartbeat, type HeartbeatTiming } from './heartbeat.js';
import { SendQueue } from './send-queue.js';

/** How the link reaches the bus. */
export type KnxTransport = 'tunnel-udp' | 'routing';

/** Options of {@link KnxLink.open}. */
export interface KnxLinkOptions {
  readonly transport: KnxTransport;
  /** Tunnelling server, or the multicast group for routing. */
  readonly host: string;
  readonly port: number;
  /** Local address to bind (routing: the interface that joins the group). */
  readonly localAddress?: string | undefined;
  /** Individual address this client sends with (routing; tunnelling takes the server's). */
  readonly individualAddress?: string | undefined;
  readonly heartbeat: HeartbeatTiming;
  readonly ratePerSecond: number;
  readonly maxQueue: number;
  readonly connectTimeoutMs: number;
  /** Names the gateway in errors. */
  readonly label: string;
  /** Errors the link survives (undecodable frames...). */
  readonly onWarning?: (error: Error) => void;
}

/** A group telegram seen on the bus. */
export interface GroupTelegram {
  readonly kind: 'write' | 'response' | 'read';
  /** Raw 16-bit group address. */
  readonly destination: number;
  /** Individual address of the sender (`1.1.5`). */
  readonly source: string;
  /** Undefined for a read. */
  readonly data: TelegramData | undefined;
}

type LibraryPacket = {
  seqCounter?: number;
  cEMIMessage?: { dstAddress?: { get(): number }; srcAddress?: { toString(): string }; npdu?: NpduLike };
};
type NpduLike = {
  isGroupRead: boolean;
  isGroupWrite: boolean;
  isGroupResponse: boolean;
  dataBuffer: unknown;
  dataValue: Buffer;
};

const PROTOCOLS = { 'tunnel-udp': 'TunnelUDP', routing: 'Multicast' } as const;

/** One KNXnet/IP connection (tunnel or routing) with our heartbeat and rate limit; open with {@link KnxLink.open}. */
export class KnxLink {
  private readonly queue: SendQueue;
  private readonly heartbeat: Heartbeat | undefined;
  private readonly telegramListeners = new Set<(telegram: GroupTelegram) => void>();
  private lostListener: ((error: Error) => void) | undefined;
  private ended = false;
  /** Sequence number of the tunnelling request the library queued during `capture` (it echoes each one). */
  private captured: number | undefined;
  private capturing = false;
  private readonly acks: AckTracker;
  readonly peer: string;

  private constructor(
    private readonly client: KNXClient,
    private readonly options: KnxLinkOptions,
  ) {
    this.peer = `${options.host}:${options.port}`;
    this.queue = new SendQueue({
      ratePerSecond: options.ratePerSecond,
      maxQueue: options.maxQueue,
      label: options.label,
    });
    // The library repeats an unacknowledged request once after 1 s and gives up after the third second.
    this.acks = new AckTracker({ peer: `tunnel to ${this.peer}`, timeoutMs: 5_000 });
    if (options.transport !== 'routing') {
      this.heartbeat = new Heartbeat(
        {
          peer: this.peer,
          channel: () => client.channelID,
          probe: (channel) => this.probe(channel),
          dead: (error) => this.lose(error),
        },
        options.heartbeat,
      );
    }
    client.on('indication', (packet, echoed) => {
      // The library echoes each telegram it sends (with its sequence number): not a bus telegram.
      if (!echoed) this.indication(packet as LibraryPacket);
      else if (this.capturing) this.captured = (packet as LibraryPacket).seqCounter;
    });
    client.on('ackReceived', (packet, ack) => {
      if (ack) this.acks.acked((packet as { seqCounter: number }).seqCounter);
      else this.lose(new KnxError(KnxCode.NO_ACK, `tunnel to ${this.peer}: no TUNNELLING_ACK after the repeat`));
    });
    client.on('disconnected', (reason) =>
      this.lose(new KnxError(KnxCode.CONNECT_FAILED, `connection to ${this.peer} closed: ${reason}`)),
    );
    client.on('error', (error) => options.onWarning?.(error));
    if (options.transport === 'tunnel-udp') {
      client.udpSocket.on('message', (frame: Buffer) => {
        try {
          const response = parseConnectionStateResponse(frame);
          if (response) this.heartbeat?.received(response);
        } catch (error) {
          options.onWarning?.(error as Error);
        }
      });
    }
  }

  /** Connect; rejects with `KNX_CONNECT_FAILED` on an error, after `connectTimeoutMs`, or when `signal` aborts. */
  static open(options: KnxLinkOptions, signal?: AbortSignal): Promise<KnxLink> {
    let client: KNXClient;
    try {
      const clientOptions: KNXClientOptions = {
        hostProtocol: PROTOCOLS[options.transport],
        ipAddr: options.host,
        ipPort: options.port,
        loglevel: 'disable',
        // The library's own pacing; ours (the rate limit) runs before it.
        KNXQueueSendIntervalMilliseconds: 20,
        // knxultimate takes the local address from an interface name (it overwrites `localIPAddress`).
        ...(options.localAddress === undefined ? {} : { interface: interfaceOf(options.localAddress, options.label) }),
        ...(options.individualAddress === undefined ? {} : { physAddr: options.individualAddress }),
      };
      client = new KNXClient(clientOptions);
    } catch (error) {
      if (error instanceof KnxError) return Promise.reject(error);
      return Promise.reject(
        new KnxError(
          KnxCode.CONNECT_FAILED,
          `connect to ${options.host}:${options.port} on ${options.label} failed: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
    const link = new KnxLink(client, options);
    return new Promise<KnxLink>((resolve, reject) => {
      const fail = (why: string, cause?: unknown): void => {
        cleanup();
        void link.close();
        reject(
          new KnxError(
            KnxCode.CONNECT_FAILED,
            `connect to ${link.peer} (${options.transport}) on ${options.label} failed: ${why}`,
            { cause },
          ),
        );
      };
      const onConnected = (): void => {
        cleanup();
        link.heartbeat?.start();
        resolve(link);
      };
      const onError = (error: Error): void => fail(error.message, error);
      const onAbort = (): void => fail(`aborted (${String((signal?.reason as Error | undefined)?.message ?? 'stop')})`);
      const timer = setTimeout(() => fail(`no answer within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        client.removeListener('connected', onConnected);
        client.removeListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      client.on('connected', onConnected);
      client.on('error', onError);
      try {
        client.Connect();
      } catch (error) {
        fail((error as Error).message, error);
      }
    });
  }

  /** Every group telegram on the bus (and, for routing, the ones this link sent). */
  onTelegram(listener: (telegram: GroupTelegram) => void): () => void {
    this.telegramListeners.add(listener);
    return () => this.telegramListeners.delete(listener);
  }

  /** Called once when the connection is lost (not after `close`). */
  onLost(listener: (error: Error) => void): void {
    this.lostListener = listener;
  }

  /** The local UDP address of the tunnel or routing socket (undefined once closed). */
  get localEndpoint(): { address: string; port: number } | undefined {
    try {
      const { address, port } = this.client.udpSocket.address();
      return { address, port };
    } catch {
      return undefined;
    }
  }

  /** CONNECTIONSTATE_RESPONSEs with no error received by our heartbeat. */
  get heartbeats(): number {
    return this.heartbeat?.answered ?? 0;
  }

  /** Telegrams waiting for the rate limit. */
  get queued(): number {
    return this.queue.size;
  }

  /**
   * GroupValue_Write of `data` to `destination`, in its rate-limited slot; resolves when the
   * tunnelling server acknowledged it (routing: when it was sent).
   */
  write(destination: number, data: TelegramData): Promise<void> {
    const ga = formatGroupAddress(destination);
    const bits = data.small ? 6 : data.bytes.length * 8;
    return this.send(`write ${ga}`, () => this.client.writeRaw(ga, Buffer.from(data.bytes), bits));
  }

  /** GroupValue_Read of `destination`, in its rate-limited slot (the answer comes as a telegram); resolves when acknowledged. */
  read(destination: number): Promise<void> {
    const ga = formatGroupAddress(destination);
    return this.send(`read ${ga}`, () => this.client.read(ga));
  }

  /** Hand `request` to the library in its slot, then wait for its TUNNELLING_ACK. */
  private async send(what: string, request: () => void): Promise<void> {
    let seq: number | undefined;
    await this.queue.push(what, () => {
      this.capturing = true;
      this.captured = undefined;
      try {
        request();
      } finally {
        this.capturing = false;
        seq = this.captured;
      }
    });
    if (this.options.transport === 'tunnel-udp' && seq !== undefined)
      await this.acks.expect(seq, `${what} on ${this.options.label}`);
  }

  /** Stop the heartbeat, fail waiting sends, disconnect (at most 1 s), close the socket. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.heartbeat?.stop();
    const closed = new KnxError(KnxCode.CONNECT_FAILED, `connection to ${this.peer} on ${this.options.label} closed`);
    this.queue.close(closed);
    this.acks.failAll(closed);
    this.telegramListeners.clear();
    this.client.removeAllListeners();
    this.client.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.Disconnect().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
    try {
      this.client.udpSocket?.close();
    } catch {
      // already closed by Disconnect
    }
  }

  /** Our CONNECTIONSTATE_REQUEST on the library's own socket (NAT mode: the server answers the sender). */
  private probe(channel: number): void {
    this.client.udpSocket.send(connectionStateRequest(channel), this.options.port, this.options.host);
  }

  private lose(error: Error): void {
    if (this.ended) return;
    const listener = this.lostListener;
    // Waiting telegrams fail with the cause (a write that met the dead tunnel gets KNX_NO_ACK).
    this.acks.failAll(error);
    this.queue.close(error);
    void this.close();
    listener?.(error);
  }

  private indication(packet: LibraryPacket): void {
    const cemi = packet.cEMIMessage;
    const npdu = cemi?.npdu;
    if (!cemi?.dstAddress || !npdu) return;
    const kind = npdu.isGroupWrite
      ? 'write'
      : npdu.isGroupResponse
        ? 'response'
        : npdu.isGroupRead
          ? 'read'
          : undefined;
    if (kind === undefined) return;
    const data: TelegramData | undefined =
      kind === 'read' ? undefined : { small: npdu.dataBuffer == null, bytes: new Uint8Array(npdu.dataValue) };
    const telegram: GroupTelegram = {
      kind,
      destination: cemi.dstAddress.get(),
      source: cemi.srcAddress?.toString() ?? '',
      data,
    };
    for (const listener of this.telegramListeners) listener(telegram);
  }
}

/** The name of the network interface that has the IPv4 `address` (`KNX_CONNECT_FAILED` when none has). */
function interfaceOf(address: string, label: string): string {
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (addresses?.some((a) => a.family === 'IPv4' && a.address === address)) return name;
  }
  throw new KnxError(
    KnxCode.CONNECT_FAILED,
    `localAddress ${address} of ${label} is on no network interface of this machine`,
  );
}
