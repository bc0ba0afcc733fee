/**
 * One connection to the field bus (a TCP socket or a serial line) through modbus-serial, with
 * what the library leaves to us: one request at a time (through a {@link RequestQueue}), the
 * RTU inter-frame silence and turnaround delay, stale bytes dropped before each RTU request,
 * timeouts with retries, exception replies mapped to coded errors, and every pending request
 * settled when the link closes.
 *
 * Late replies: on TCP, modbus-serial keys each request by its MBAP transaction id and ignores a
 * reply whose request already timed out (`_timeoutFired`), so a late reply is never taken for the
 * next request (tested against pymodbus). On RTU there is no transaction id: modbus-serial drops
 * a reply of another unit, and after a timeout the next request to the same unit waits one more
 * `timeoutMs`, so a reply up to twice the timeout late is dropped (the buffer is flushed before
 * each request); a reply later than that cannot be told from the next one (spec: none either).
 */
import modbusSerial from 'modbus-serial';
import { DriverCode, DriverError, monotonicMs, type DriverContext } from '@weble/driver-kit';
import { ModbusCode, ModbusError, exceptionError, modiconRange } from './errors.js';
import { RequestQueue } from './request-queue.js';
import type { ReadRequest } from './request-planner.js';
import { isBitTable } from './request-planner.js';
import type { ModbusConfig, Table } from './schemas.js';
import { UnitHealth } from './unit-health.js';

/** The reply to a read: register bytes as received, or bits. */
export type ReadReply = { kind: 'registers'; bytes: Buffer } | { kind: 'bits'; bits: boolean[] };

/** modbus-serial is CommonJS; its `default` is the client class in ESM and CJS alike. */
const ModbusRTU = modbusSerial.default;
/** modbus-serial's client. */
type Client = InstanceType<typeof ModbusRTU>;
/** The driver's pino logger. */
type Logger = DriverContext<unknown, unknown>['log'];

/** The RTU buffered port's private receive buffer (a protocol quirk we must reach: see flush). */
interface BufferedPort {
  _buffer?: Buffer;
}

/**
 * Silence between two RTU frames, ms: 3.5 character times (11 bits each with start, parity or
 * second stop, and stop bit), fixed at 1.75 ms above 19200 baud (Modbus over serial line V1.02, 2.5.1.1).
 */
export function interFrameMs(baudRate: number): number {
  return baudRate > 19_200 ? 1.75 : (3.5 * 11 * 1000) / baudRate;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether modbus-serial reported a timeout. */
function isTimeout(error: unknown): boolean {
  const e = error as { errno?: unknown; name?: unknown } | null;
  return e?.errno === 'ETIMEDOUT' || e?.name === 'TransactionTimedOutError';
}

export class ModbusLine {
  readonly queue: RequestQueue;
  readonly units: UnitHealth;
  /** Requests sent (each try counts). */
  requests = 0;
  private lastActivity = 0;
  private closedError: Error | undefined;
  private readonly closeWaiters = new Set<(error: Error) => void>();
  private readonly silenceMs: number;
  private onLost: ((error: Error) => void) | undefined;
  /** RTU: per unit, no request before this time (monotonicMs()), set after a timeout. */
  private readonly quietUntil = new Map<number, number>();

  private constructor(
    private readonly client: Client,
    readonly config: ModbusConfig,
    private readonly log: Logger,
    readonly label: string,
  ) {
    this.queue = new RequestQueue(config.maxPendingWrites);
    this.units = new UnitHealth(config.deadUnitRetryMs);
    this.silenceMs = config.transport === 'rtu' ? interFrameMs(config.baudRate) + config.turnaroundMs : 0;
    client.on('close', () => this.closed(new DriverError(DriverCode.CONNECTION_LOST, `${label}: connection closed`)));
    client.on('error', (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.closed(new DriverError(DriverCode.CONNECTION_LOST, `${label}: ${message}`, { cause: error }));
    });
  }

  /** Connect to the device or open the line. */
  static async open(config: ModbusConfig, log: Logger, onClosed: (error: Error) => void): Promise<ModbusLine> {
    const client = new ModbusRTU();
    const label = config.transport === 'tcp' ? `${config.host}:${config.port}` : config.path;
    try {
      if (config.transport === 'tcp') await client.connectTCP(config.host, { port: config.port });
      else {
        await client.connectRTUBuffered(config.path, {
          baudRate: config.baudRate,
          parity: config.parity,
          dataBits: config.dataBits,
          stopBits: config.stopBits,
        });
      }
    } catch (error) {
      try {
        client.destroy(() => undefined);
      } catch {
        // the port never opened
      }
      const message = (error as Error)?.message ?? String(error);
      throw new Error(`${label}: ${message}`, { cause: error });
    }
    client.setTimeout(config.timeoutMs);
    const line = new ModbusLine(client, config, log, label);
    line.onLost = onClosed;
    return line;
  }

  /** Whether the link is gone. */
  get isClosed(): boolean {
    return this.closedError !== undefined;
  }

  /** Close the link; pending and queued requests fail with DRIVER_CONNECTION_LOST. */
  async close(): Promise<void> {
    this.closed(new DriverError(DriverCode.CONNECTION_LOST, `${this.label}: closed`), false);
    await new Promise<void>((resolve) => {
      try {
        this.client.close(() => resolve());
      } catch {
        resolve();
      }
      setTimeout(resolve, 200).unref(); // a port that never reports its close
    });
    try {
      this.client.destroy(() => undefined);
    } catch {
      // already gone
    }
  }

  /** Read `request` (inside a queue job): register bytes or bits. */
  read(request: Pick<ReadRequest<unknown>, 'unit' | 'table' | 'start' | 'count'>): Promise<ReadReply> {
    const { unit, table, start, count } = request;
    return this.transact(unit, table, start, count, async (client) => {
      switch (table) {
        case 'coil':
          return { kind: 'bits', bits: (await client.readCoils(start, count)).data.slice(0, count) };
        case 'discrete':
          return { kind: 'bits', bits: (await client.readDiscreteInputs(start, count)).data.slice(0, count) };
        case 'input':
          return { kind: 'registers', bytes: Buffer.from((await client.readInputRegisters(start, count)).buffer) };
        case 'holding':
          return { kind: 'registers', bytes: Buffer.from((await client.readHoldingRegisters(start, count)).buffer) };
      }
    });
  }

  /** Write coils (FC5 for one unless `multiple`, else FC15). */
  writeBits(unit: number, address: number, bits: boolean[], multiple: boolean): Promise<void> {
    return this.transact(unit, 'coil', address, bits.length, async (client) => {
      if (bits.length === 1 && !multiple) await client.writeCoil(address, bits[0]!);
      else await client.writeCoils(address, bits);
    });
  }

  /** Write holding registers from wire bytes (FC6 for one unless `multiple`, else FC16). */
  writeRegisters(unit: number, address: number, bytes: Buffer, multiple: boolean): Promise<void> {
    return this.transact(unit, 'holding', address, bytes.length / 2, async (client) => {
      if (bytes.length === 2 && !multiple) await client.writeRegister(address, bytes.readUInt16BE(0));
      else await client.writeRegisters(address, bytes);
    });
  }

  /** The link is gone: fail the request in flight and the queued ones; tell the owner unless it closed the link. */
  private closed(error: Error, report = true): void {
    if (this.closedError) return;
    this.closedError = error;
    this.queue.close(error);
    for (const waiter of this.closeWaiters) waiter(error);
    this.closeWaiters.clear();
    if (report) this.onLost?.(error);
  }

  /** One request with retries on timeouts and garbled replies; exceptions are final. */
  private async transact<T>(
    unit: number,
    table: Table,
    address: number,
    count: number,
    op: (client: Client) => Promise<T>,
  ): Promise<T> {
    const what = `${isBitTable(table) ? 'bits' : 'registers'} ${modiconRange(table, address, count)} on unit ${unit}`;
    let last: Error | undefined;
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (this.closedError) throw this.closedError;
      try {
        return await this.once(unit, op);
      } catch (error) {
        if (error instanceof DriverError) throw error;
        const modbusCode = (error as { modbusCode?: unknown })?.modbusCode;
        if (typeof modbusCode === 'number') throw exceptionError(modbusCode, table, address, count, unit);
        if (isTimeout(error)) {
          last = new ModbusError(
            ModbusCode.TIMEOUT,
            `no reply from unit ${unit} within ${this.config.timeoutMs} ms (${what})`,
          );
          // RTU has no transaction id: a reply of this unit up to another timeout late would pass for the next one.
          if (this.config.transport === 'rtu') this.quietUntil.set(unit, monotonicMs() + this.config.timeoutMs);
        } else if (/port not open/i.test((error as Error)?.message ?? ''))
          throw new DriverError(DriverCode.CONNECTION_LOST, `${this.label}: port not open`);
        else
          last = new ModbusError(
            ModbusCode.BAD_REPLY,
            `bad reply from unit ${unit} (${what}): ${(error as Error)?.message ?? String(error)}`,
          );
        this.log.debug({ unit, attempt, err: last }, `request failed: ${last.message}`);
      }
    }
    throw last!;
  }

  /** One try: wait for the line to be quiet (RTU), drop stale bytes, send, settle on close too. */
  private async once<T>(unit: number, op: (client: Client) => Promise<T>): Promise<T> {
    if (this.config.transport === 'rtu') {
      const wait = Math.max(this.lastActivity + this.silenceMs, this.quietUntil.get(unit) ?? 0) - monotonicMs();
      if (wait > 0) await delay(wait);
      // A reply that came after its timeout is still in the buffered port: drop it.
      const port = (this.client as unknown as { _port?: BufferedPort })._port;
      if (port?._buffer) port._buffer = Buffer.alloc(0);
    }
    if (this.closedError) throw this.closedError;
    this.client.setID(unit);
    this.requests++;
    let onClose!: (error: Error) => void;
    const closed = new Promise<never>((_, reject) => {
      onClose = (error: Error) => reject(error);
      this.closeWaiters.add(onClose);
    });
    try {
      return await Promise.race([op(this.client), closed]);
    } finally {
      this.closeWaiters.delete(onClose);
      this.lastActivity = monotonicMs();
    }
  }
}
