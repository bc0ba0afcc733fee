/**
 * A connected KNX gateway: the link to the bus, the points by group address, values reported
 * from every telegram seen (report by exception, no polling), reads answered by the first
 * GroupValue_Response (or _Write) on the point's state address, writes as GroupValue_Write.
 * A telegram that does not decode is a coded warning (`telegramError` event, log), never fatal.
 */
import { DriverCode, DriverError, type DriverContext, type PollContext } from '@weble/driver-kit';
import { decodeDpt, encodeDpt } from './dpt/dpt-codec.js';
import { formatDpt } from './dpt/dpt-id.js';
import type { DptValue } from './dpt/dpt-values.js';
import { KnxCode, KnxError } from './errors.js';
import { formatGroupAddress } from './group-address.js';
import { KnxLink, type GroupTelegram } from './link/knx-link.js';
import { compilePoints, type CompiledPoint, type PointMap } from './point-map.js';
import type { KnxConfig, KnxPoint } from './schemas.js';
import { KNX_MULTICAST } from './schemas.js';

/** The driver event of a telegram that could not be decoded: `(info)`. */
export const TELEGRAM_ERROR_EVENT = 'telegramError';

/** What `telegramError` carries. */
export interface TelegramErrorInfo {
  readonly key: string;
  readonly groupAddress: string;
  readonly source: string;
  readonly code: string;
  readonly message: string;
}

interface PendingRead {
  resolve(value: DptValue): void;
  reject(error: Error): void;
}

/** A connected gateway: the device the kit holds between `connect` and `disconnect`. */
export class KnxGateway {
  /** Reads waiting for an answer, by address key. */
  private readonly pending = new Map<string, Set<PendingRead>>();
  private badTelegrams = 0;

  private constructor(
    readonly link: KnxLink,
    private readonly points: PointMap,
    private readonly config: KnxConfig,
    private readonly ctx: DriverContext<KnxConfig, KnxPoint>,
    private readonly label: string,
  ) {
    link.onTelegram((telegram) => this.telegram(telegram));
    link.onLost((error) => {
      this.failReads(error);
      ctx.connectionLost(error);
    });
  }

  /** Connect to the bus with `config`. */
  static async open(config: KnxConfig, ctx: DriverContext<KnxConfig, KnxPoint>): Promise<KnxGateway> {
    const label = `gateway ${ctx.gateway.id} (knx)`;
    const points = compilePoints(ctx.addresses, label, config.readOnStart);
    for (const problem of points.problems) ctx.log.error({ err: problem }, problem.message);
    const link = await KnxLink.open(
      {
        transport: config.transport,
        host: config.host ?? KNX_MULTICAST,
        port: config.port,
        localAddress: config.localAddress,
        individualAddress: config.individualAddress,
        heartbeat: config.heartbeat,
        ratePerSecond: config.rateLimit,
        maxQueue: config.maxQueue,
        connectTimeoutMs: config.connectTimeoutMs,
        label,
        onWarning: (error) => ctx.log.warn({ err: error }, `knx link: ${error.message}`),
      },
      ctx.signal,
    );
    return new KnxGateway(link, points, config, ctx, label);
  }

  /** Telegrams that did not decode since the connection came up. */
  get undecodable(): number {
    return this.badTelegrams;
  }

  /**
   * GroupValue_Read on the point's state address; the value of the first answer. The answer is
   * awaited `readTimeoutMs` from when the read leaves the rate-limit queue, so reads queued behind
   * many others (a large installation read at start) do not time out before they are sent.
   */
  read(key: string): Promise<DptValue> {
    const point = this.point(key, 'read');
    return new Promise<DptValue>((resolve, reject) => {
      const waiters = this.pending.get(key) ?? new Set<PendingRead>();
      this.pending.set(key, waiters);
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const done = (): void => {
        settled = true;
        clearTimeout(timer);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.pending.get(key) === waiters) this.pending.delete(key);
      };
      const waiter: PendingRead = {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      waiters.add(waiter);
      this.link.read(point.state).then(
        () => {
          if (settled) return;
          timer = setTimeout(() => {
            const what = `read ${JSON.stringify(key)} (${formatGroupAddress(point.state)}) on ${this.label}`;
            waiter.reject(
              new KnxError(
                KnxCode.READ_TIMEOUT,
                `${what}: no GroupValue_Response within ${this.config.readTimeoutMs} ms`,
              ),
            );
          }, this.config.readTimeoutMs);
        },
        (error: Error) => waiter.reject(error),
      );
    });
  }

  /** GroupValue_Write of `value` (checked by the value schema) to the point's group address. */
  async write(key: string, value: unknown): Promise<void> {
    const point = this.point(key, 'write');
    if (!point.writable)
      throw new DriverError(
        DriverCode.READ_ONLY,
        `write ${JSON.stringify(key)}: the point is not writable on ${this.label}`,
      );
    await this.link.write(point.ga, encodeDpt(point.dpt, value));
  }

  /** Read every point marked `readOnStart` (through the rate limit), then report from telegrams until the connection ends. */
  async poll(ctx: PollContext<KnxConfig, KnxPoint>): Promise<void> {
    const reads = [...this.points.byKey.values()].filter((point) => point.readOnStart);
    await Promise.all(
      reads.map(async (point) => {
        try {
          ctx.emitValue(point.key, await this.read(point.key));
          ctx.recovered([point.key]);
        } catch (error) {
          if (!ctx.signal.aborted) ctx.failed([point.key], error as Error);
        }
      }),
    );
    ctx.cycle();
  }

  async close(): Promise<void> {
    this.failReads(new KnxError(KnxCode.CONNECT_FAILED, `connection of ${this.label} closed`));
    await this.link.close();
  }

  private point(key: string, operation: string): CompiledPoint {
    const point = this.points.byKey.get(key);
    if (!point) {
      throw new DriverError(
        DriverCode.DEVICE_ERROR,
        `${operation} ${JSON.stringify(key)} on ${this.label}: the address has no usable group address or datapoint type (see the driver's log)`,
      );
    }
    return point;
  }

  private telegram(telegram: GroupTelegram): void {
    if (telegram.kind === 'read' || telegram.data === undefined) return;
    const points = this.points.byState.get(telegram.destination);
    if (!points) return;
    for (const point of points) {
      const waiters = [...(this.pending.get(point.key) ?? [])];
      let value: DptValue;
      try {
        value = decodeDpt(point.dpt, telegram.data);
      } catch (error) {
        const failure = this.undecodableTelegram(point, telegram, error as Error);
        for (const waiter of waiters) waiter.reject(failure);
        continue;
      }
      this.ctx.emitValue(point.key, value);
      for (const waiter of waiters) waiter.resolve(value);
    }
  }

  private undecodableTelegram(point: CompiledPoint, telegram: GroupTelegram, error: Error): KnxError {
    this.badTelegrams++;
    const groupAddress = formatGroupAddress(telegram.destination);
    const code = error instanceof KnxError ? error.code : KnxCode.BAD_DATA;
    const where = `${this.label} address ${JSON.stringify(point.key)} (${groupAddress}, DPT ${formatDpt(point.dpt)})`;
    const message = `${where}: telegram from ${telegram.source} not decoded: ${error.message}`;
    this.ctx.log.warn({ key: point.key, groupAddress, code }, message);
    const info: TelegramErrorInfo = { key: point.key, groupAddress, source: telegram.source, code, message };
    this.ctx.emit?.(TELEGRAM_ERROR_EVENT, info);
    return new KnxError(
      error instanceof KnxError ? error.code : KnxCode.BAD_DATA,
      message.replace(/ \(KNX_[A-Z_]+\)$/, ''),
      { cause: error },
    );
  }

  private failReads(error: Error): void {
    for (const waiters of this.pending.values()) for (const waiter of [...waiters]) waiter.reject(error);
    this.pending.clear();
  }
}
