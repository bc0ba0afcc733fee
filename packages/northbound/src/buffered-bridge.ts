/**
 * What both modes share: the site's values through the change filter into the store-and-forward
 * buffer, the in-order sender, periodic sends, the counters and the status, and the broker sessions:
 * each MQTT session uses a new MQTT.js client (broker URLs in turn, a fresh will each time), and what
 * was in flight when a session ends is read again from the buffer and sent in the next one, after the
 * mode's hello ({@link BufferedBridge.onSession}). A mode says how one value is published
 * ({@link BufferedBridge.publishSample}) and what its sessions say.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { BridgeCounters } from './bridge-status.js';
import { isChange } from './change-filter.js';
import type { BridgeConfig } from './config/schema.js';
import type { BridgeStatus } from './contract.js';
import { NorthboundCode, NorthboundError } from './errors.js';
import type { SiteAddress } from './mesh/site-link.js';
import { connectionError } from './mqtt/broker-errors.js';
import { brokerServers, clientOptions, type Will } from './mqtt/client-options.js';
import type { Sample } from './plain/payload.js';
import { qualityOf } from './quality.js';
import { DiskQueue } from './store/disk-queue.js';
import { Forwarder } from './store/forwarder.js';

/** An address the bridge publishes, with what it last put into the buffer. */
export interface KnownAddress {
  address: SiteAddress;
  /** Last value put into the buffer (for the change filter). */
  lastValue?: unknown;
  /** Last value seen (for periodic sends). */
  lastSample?: Sample;
}

export abstract class BufferedBridge {
  readonly counters = new BridgeCounters();
  protected readonly queue: DiskQueue;
  protected readonly forwarder: Forwarder;
  protected readonly known = new Map<string, KnownAddress>();
  protected connected = false;
  /** Set once the mesh link listens to every published address. */
  listening = false;
  protected broker: string | null = null;
  protected client: MqttClient | undefined;
  protected stopping = false;
  private base: IClientOptions | undefined;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private pendingAppend: Sample[] = [];
  private flushScheduled = false;
  private periodic: ReturnType<typeof setInterval> | undefined;

  constructor(
    protected readonly config: BridgeConfig,
    protected readonly baseDir: string,
    protected readonly log: Logger,
  ) {
    const nb = config.northbound;
    this.queue = new DiskQueue({ dir: config.bufferDir, maxBytes: Math.floor(nb.buffer.maxMB * 1024 * 1024) });
    this.forwarder = new Forwarder(this.queue, (sample, done) => this.publishSample(sample, done), {
      onPublished: (count) => this.counters.addPublished(count),
      onRefused: (sample, error) => {
        this.counters.refused++;
        this.fail(
          new NorthboundError(
            NorthboundCode.NOT_AUTHORIZED,
            `broker refused ${this.describe(sample)}: ${error.message}${typeof error.code === 'number' ? ` (reason ${error.code})` : ''}`,
          ),
        );
      },
    });
  }

  /** Publish one value from the buffer; `done` once the broker has it. */
  protected abstract publishSample(sample: Sample, done: (error?: Error & { code?: unknown }) => void): void;

  /** How a value's destination is named in messages (its topic). */
  protected abstract describe(sample: Sample): string;

  /** The will of the next session (asked for before every connection attempt). */
  protected abstract will(): Will;

  /** A session began: subscribe and say hello (births); values are sent after this returns. */
  protected abstract onSession(client: MqttClient): void;

  /** A message from the broker. */
  protected abstract onBrokerMessage(topic: string, payload: Buffer): void;

  /** A session ended (the next one is tried after `reconnectMs`). */
  protected onSessionEnd(): void {}

  /** Start connecting (TLS files are read now: a missing one throws `NORTHBOUND_TLS_FILE`). */
  protected startSessions(clientSite: string): void {
    this.base = clientOptions(this.config.northbound, clientSite, this.baseDir);
    this.connect();
  }

  /** End the current session: `goodbye` first when connected (at most 1 s), then DISCONNECT. */
  protected async endSessions(goodbye?: Will): Promise<void> {
    this.stopping = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    if (!client) return;
    if (this.connected && goodbye) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        client.publish(goodbye.topic, goodbye.payload, { qos: goodbye.qos, retain: goodbye.retain }, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }

  private connect(): void {
    const server = brokerServers(this.config.northbound.brokers)[
      this.attempt++ % this.config.northbound.brokers.length
    ]!;
    const will = this.will();
    const { servers: _all, ...base } = this.base ?? {};
    const options: IClientOptions = {
      ...base,
      host: server.host,
      port: server.port,
      protocol: server.protocol,
      reconnectPeriod: 0,
      will: { ...will },
    };
    const broker = `${server.protocol}://${server.host}:${server.port}`;
    this.broker = broker;
    const client = mqtt.connect(options);
    this.client = client;
    let errored = false;
    client.on('connect', () => {
      if (client !== this.client) return;
      this.connected = true;
      this.log.info({ broker }, 'connected to the broker');
      this.onSession(client);
      this.forwarder.setConnected(true);
    });
    client.on('error', (error: Error & { code?: unknown }) => {
      errored = true;
      this.fail(connectionError(error, broker));
    });
    client.on('message', (topic, payload) => this.onBrokerMessage(topic, payload));
    client.once('close', () => {
      if (client !== this.client) return;
      if (!this.connected && !errored && !this.stopping) {
        this.fail(
          new NorthboundError(
            NorthboundCode.BROKER_UNREACHABLE,
            `broker ${broker} closed the connection before accepting it`,
          ),
        );
      }
      if (this.connected) this.log.warn({ broker }, 'lost the broker');
      this.connected = false;
      this.forwarder.setConnected(false);
      // What was in flight is read again from the buffer; late callbacks of this client are ignored.
      this.forwarder.reset();
      this.onSessionEnd();
      client.end(true);
      if (!this.stopping) this.retry = setTimeout(() => this.connect(), this.config.northbound.reconnectMs);
    });
  }

  /** The status as `northbound.status()` answers it. */
  status(): BridgeStatus {
    return {
      id: this.config.northbound.id,
      mode: this.config.northbound.mode,
      connected: this.connected,
      broker: this.broker,
      listening: this.listening,
      received: this.counters.received,
      buffered: { count: this.queue.count, bytes: this.queue.bytes },
      published: this.counters.published,
      publishedPerSec: this.counters.perSecond(),
      dropped: this.queue.dropped,
      refused: this.counters.refused,
      writes: { ok: this.counters.writesOk, failed: this.counters.writesFailed },
      lastError: this.counters.lastError,
    };
  }

  /** A value of a published address: through the change filter into the buffer. */
  value(address: SiteAddress, value: unknown, date: Date, extra: readonly unknown[]): void {
    const known = this.known.get(address.key);
    if (!known) return;
    const publish = this.config.northbound.publish;
    const sample: Sample = { key: address.key, value, quality: qualityOf(extra), ts: date.getTime() };
    known.lastSample = sample;
    if (!publish.onChange || !isChange(known.lastValue, value, publish.deadband)) return;
    known.lastValue = value;
    this.enqueue(sample);
  }

  /** Start periodic sends (when configured). */
  protected startPeriodic(): void {
    const period = this.config.northbound.publish.periodMs;
    if (period !== undefined) this.periodic = setInterval(() => this.republish(), period);
  }

  /** Stop periodic sends and write what is pending to the buffer. */
  protected stopBuffering(): void {
    if (this.periodic) clearInterval(this.periodic);
    this.flush();
  }

  protected enqueue(sample: Sample): void {
    this.pendingAppend.push(sample);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Write the values of this tick to the buffer and send what the window allows. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pendingAppend;
    if (batch.length === 0) return;
    this.pendingAppend = [];
    try {
      const dropped = this.queue.append(batch);
      this.counters.received += batch.length;
      if (dropped > 0) {
        const nb = this.config.northbound;
        this.fail(
          new NorthboundError(
            NorthboundCode.BUFFER_FULL,
            `northbound ${nb.id}: buffer ${this.config.bufferDir} is full (${nb.buffer.maxMB} MB): dropped the ${dropped} oldest values`,
          ),
        );
      }
    } catch (error) {
      this.fail(
        error instanceof NorthboundError ? error : new NorthboundError(NorthboundCode.BUFFER_IO, String(error)),
      );
    }
    this.forwarder.pump();
  }

  private republish(): void {
    for (const known of this.known.values()) {
      if (!known.lastSample) continue;
      known.lastValue = known.lastSample.value;
      this.enqueue({ ...known.lastSample });
    }
  }

  /** Remember an error as the last one (logged when it differs from the previous). */
  protected fail(error: NorthboundError): void {
    const previous = this.counters.lastError;
    this.counters.setError(error);
    if (previous?.message !== error.message) this.log.warn({ code: error.code }, error.message);
  }
}
