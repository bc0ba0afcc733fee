/**
 * What both modes share: the site's values through the change filter into the store-and-forward
 * buffer, the in-order sender, periodic sends, the counters and the status. A mode says how one
 * value is published ({@link BufferedBridge.publishSample}) and how it talks to the broker.
 */
import type { Logger } from 'pino';
import { BridgeCounters } from './bridge-status.js';
import { isChange } from './change-filter.js';
import type { BridgeConfig } from './config/schema.js';
import type { BridgeStatus } from './contract.js';
import { NorthboundCode, NorthboundError } from './errors.js';
import type { SiteAddress } from './mesh/site-link.js';
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
  protected broker: string | null = null;
  private pendingAppend: Sample[] = [];
  private flushScheduled = false;
  private periodic: ReturnType<typeof setInterval> | undefined;

  constructor(
    protected readonly config: BridgeConfig,
    protected readonly log: Logger,
  ) {
    const nb = config.northbound;
    this.queue = new DiskQueue({ dir: config.bufferDir, maxBytes: Math.floor(nb.buffer.maxMB * 1024 * 1024) });
    this.forwarder = new Forwarder(this.queue, (sample, done) => this.publishSample(sample, done), {
      onPublished: (count) => this.counters.addPublished(count),
      onRefused: (sample, error) => {
        this.counters.refused++;
        this.fail(new NorthboundError(NorthboundCode.NOT_AUTHORIZED, `broker refused ${this.describe(sample)}: ${error.message}${typeof error.code === 'number' ? ` (reason ${error.code})` : ''}`));
      },
    });
  }

  /** Publish one value from the buffer; `done` once the broker has it. */
  protected abstract publishSample(sample: Sample, done: (error?: Error & { code?: unknown }) => void): void;

  /** How a value's destination is named in messages (its topic). */
  protected abstract describe(sample: Sample): string;

  /** The status as `northbound.status()` answers it. */
  status(): BridgeStatus {
    return {
      id: this.config.northbound.id,
      mode: this.config.northbound.mode,
      connected: this.connected,
      broker: this.broker,
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
        this.fail(new NorthboundError(NorthboundCode.BUFFER_FULL, `northbound ${nb.id}: buffer ${this.config.bufferDir} is full (${nb.buffer.maxMB} MB): dropped the ${dropped} oldest values`));
      }
    } catch (error) {
      this.fail(error instanceof NorthboundError ? error : new NorthboundError(NorthboundCode.BUFFER_IO, String(error)));
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
