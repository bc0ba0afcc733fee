/**
 * One open serial port and what runs on it: frames cut from the byte stream, offered first to the
 * request in flight, then to the points that take unsolicited values. Malformed frames are
 * counted and logged (at most one warning a second per code), never fatal. The device is reported offline
 * when it stops answering requests (or, with `silenceMs`, stops sending), online again at its
 * next frame. A closed or hung-up port is a lost connection: the kit reopens it with backoff.
 */
import { DriverCode, DriverError, type DriverContext } from '@weble/driver-kit';
import { SerialPort } from 'serialport';
import { compilePoint, type CompiledCommand, type CompiledPoint } from './compiled-point.js';
import { SerialCode, SerialError } from './errors.js';
import { echoes, frameOf, type Extracted, type Extractor, type Frame } from './extract.js';
import { createFrameStream, layoutOf, type CutFrame, type FrameStream } from './frame-stream.js';
import type { Layout } from './layout.js';
import type { FrameFault } from './layout-decoder.js';
import { commandLabel, deviceText, prepareRequest } from './outgoing.js';
import { RequestQueue, type Verdict } from './request-queue.js';
import type { SerialConfig, SerialPoint } from './schemas.js';
import { toHex } from './bytes.js';
import { hangupAwareBinding } from './port-binding.js';

/** Counters of one connection (since the port was opened), logged with the faults. */
export interface FrameCounters {
  /** Frames cut from the byte stream. */
  frames: number;
  /** Malformed frames and dropped bytes (framing faults). */
  malformed: number;
  /** Frames no request and no point took. */
  unmatched: number;
  /** Frames a point matched whose value did not convert. */
  badValues: number;
}

/** `driver.frameStats()`: the counters, and the faults by code. */
export interface FrameStats extends FrameCounters {
  byCode: Record<string, number>;
}

type Ctx = DriverContext<SerialConfig, SerialPoint>;

/** Open `config.path` and return the running device (rejects when the port cannot be opened). */
export async function openSerialDevice(config: SerialConfig, ctx: Ctx): Promise<SerialDevice> {
  const port = new SerialPort({
    path: config.path,
    baudRate: config.baudRate,
    dataBits: config.dataBits,
    stopBits: config.stopBits,
    parity: config.parity,
    rtscts: config.flowControl === 'rtscts',
    xon: config.flowControl === 'xonxoff',
    xoff: config.flowControl === 'xonxoff',
    autoOpen: false,
    binding: hangupAwareBinding,
  } as ConstructorParameters<typeof SerialPort>[0]);
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(new Error(`cannot open ${config.path}: ${error.message}`)) : resolve())),
  );
  return new SerialDevice(port, config, ctx);
}

/** One open port: frames to the request in flight or to the unsolicited points, requests framed and queued. */
export class SerialDevice {
  readonly counters: FrameCounters = { frames: 0, malformed: 0, unmatched: 0, badValues: 0 };
  private readonly byCode: Record<string, number> = {};
  readonly points = new Map<string, CompiledPoint>();
  private readonly stream: FrameStream;
  private readonly layout: Layout | undefined;
  private readonly queue: RequestQueue;
  private readonly unsolicited: CompiledPoint[] = [];
  /** Values of unsolicited points, and readers waiting for the next one. */
  private readonly lastValues = new Map<string, string | number | boolean>();
  private readonly waiters = new Set<{
    key: string;
    resolve(value: string | number | boolean): void;
    reject(error: Error): void;
  }>();
  private answering = true;
  private lastFrameAt = Date.now();
  private readonly lastWarnAt = new Map<string, number>();
  private silenceTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly port: SerialPort,
    readonly config: SerialConfig,
    private readonly ctx: Ctx,
  ) {
    for (const address of ctx.addresses) {
      const compiled = compilePoint(address, config);
      this.points.set(address.key, compiled);
      if (compiled.read) this.unsolicited.push(compiled);
    }
    this.layout = layoutOf(config.framing);
    this.stream = createFrameStream(
      config.framing,
      config.encoding,
      { frame: (cut) => this.onFrame(cut), fault: (fault) => this.onFault(fault) },
      this.layout,
    );
    this.queue = new RequestQueue({
      send: (bytes) => this.send(bytes),
      onTimeout: (error) => this.notAnswering(`device not answering: ${error.message}`),
    });
    port.on('data', (chunk: Buffer) => this.stream.write(chunk));
    port.on('close', (error?: Error | null) => this.lost(error ?? new Error('port closed')));
    port.on('error', (error: Error) => this.lost(error));
    ctx.signal.addEventListener('abort', () => this.lost(new Error('connection ended')), { once: true });
    if (config.silenceMs !== undefined) this.watchSilence(config.silenceMs);
  }

  /** Send the point's poll command and wait for its reply. */
  poll(key: string): Promise<string | number | boolean> {
    const point = this.points.get(key);
    if (!point?.poll) throw new TypeError(`${key} is not polled`);
    const { reply } = point.poll;
    return this.request('poll', point.poll, '', key, (frame) => valueVerdict(reply(frame), key));
  }

  /** The last unsolicited value of `key`, or the next one within the gateway's timeout. */
  async nextValue(key: string): Promise<string | number | boolean> {
    const known = this.lastValues.get(key);
    if (known !== undefined) return known;
    return new Promise((resolve, reject) => {
      const waiter = {
        key,
        resolve: (value: string | number | boolean) => {
          settle();
          resolve(value);
        },
        reject: (error: Error) => {
          settle();
          reject(error);
        },
      };
      const settle = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const timer = setTimeout(
        () =>
          waiter.reject(
            new SerialError(
              SerialCode.TIMEOUT,
              `no frame for ${JSON.stringify(key)} within ${this.config.timeoutMs} ms`,
            ),
          ),
        this.config.timeoutMs,
      );
      this.waiters.add(waiter);
    });
  }

  /** Send the point's write command with `value`; with a reply pattern, wait for it (or a `reject` match). */
  async write(key: string, value: unknown): Promise<void> {
    const point = this.points.get(key);
    const write = point?.write;
    if (!write) throw new DriverError(DriverCode.READ_ONLY, `address ${JSON.stringify(key)} has no write command`);
    const { reply, reject } = write;
    const accept =
      reply &&
      ((frame: Frame): Verdict<void> => {
        const refused = reject?.(frame);
        if (refused && 'value' in refused)
          return {
            fail: new SerialError(
              SerialCode.REJECTED,
              `the device refused the write of "${key}": ${deviceText(frame)}`,
            ),
          };
        return reply(frame) === undefined ? undefined : { done: undefined };
      });
    const sent = typeof value === 'number' && write.scale !== 1 ? Number((value / write.scale).toPrecision(12)) : value;
    await this.request('write', write, sent, key, accept);
  }

  /** The counters of this connection. */
  stats(): FrameStats {
    return { ...this.counters, byCode: { ...this.byCode } };
  }

  /** Close the port (on loss or stop); pending requests fail. */
  async close(): Promise<void> {
    this.lost(new Error('port closed'));
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  /** Render, frame and queue a command; a value that does not fit the template is `DRIVER_BAD_VALUE`. */
  private request<T>(
    operation: 'poll' | 'write',
    command: CompiledCommand,
    value: unknown,
    key: string,
    accept: ((frame: Frame) => Verdict<T>) | undefined,
  ): Promise<T> {
    const prepared = prepareRequest(command, value, {
      framing: this.config.framing,
      encoding: this.config.encoding,
      layout: this.layout,
    });
    const where = `${operation} ${JSON.stringify(key)} on gateway ${this.ctx.gateway.id} (serial)`;
    if ('error' in prepared)
      return Promise.reject(new DriverError(DriverCode.BAD_VALUE, `${where}: ${prepared.error}`));
    const { bytes, echo } = prepared;
    // A reply must echo the request's header fields (address, command): a late reply to another request is not its answer.
    const answer = accept && ((frame: Frame): Verdict<T> => (echoes(frame, echo) ? accept(frame) : undefined));
    const label = commandLabel(command, key);
    return this.queue.request<T>({
      bytes,
      timeoutMs: command.timeoutMs,
      retries: command.retries,
      label,
      ...(answer ? { accept: answer } : {}),
    });
  }

  private send(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new DriverError(DriverCode.CONNECTION_LOST, `${this.config.path} is closed`));
      this.port.write(bytes, (error) => {
        if (error)
          return reject(
            new DriverError(DriverCode.CONNECTION_LOST, `write to ${this.config.path} failed: ${error.message}`),
          );
        this.port.drain(() => resolve());
      });
    });
  }

  private onFrame(cut: CutFrame): void {
    this.counters.frames++;
    this.lastFrameAt = Date.now();
    if (!this.answering) {
      this.answering = true;
      this.ctx.setState('online');
    }
    const frame = frameOf(cut.bytes, this.config.encoding, cut.fields);
    if (this.queue.offer(frame)) return;
    let matched = false;
    for (const point of this.unsolicited) {
      const result = (point.read as Extractor)(frame);
      if (result === undefined) continue;
      matched = true;
      if ('value' in result) {
        this.lastValues.set(point.key, result.value);
        this.ctx.emitValue(point.key, result.value);
        for (const waiter of this.waiters) if (waiter.key === point.key) waiter.resolve(result.value);
      } else {
        this.counters.badValues++;
        this.byCode[result.code] = (this.byCode[result.code] ?? 0) + 1;
        this.warn(
          { key: point.key, code: result.code, frame: describeFrame(frame) },
          `${result.code}: ${JSON.stringify(point.key)}: ${result.message}`,
        );
      }
    }
    if (!matched) {
      this.counters.unmatched++;
      this.ctx.log.debug({ frame: describeFrame(frame), unmatched: this.counters.unmatched }, 'frame matches no point');
    }
  }

  private onFault(fault: FrameFault): void {
    this.counters.malformed++;
    this.byCode[fault.code] = (this.byCode[fault.code] ?? 0) + 1;
    this.warn(
      { code: fault.code, bytes: toHex(fault.bytes.subarray(0, 64)), malformed: this.counters.malformed },
      `malformed frame (${fault.code}): ${fault.message}`,
    );
    // A corrupted frame while a request waits is taken as its corrupted answer: retried at once within its budget.
    if (CORRUPTED.has(fault.code)) this.queue.corrupted(new SerialError(fault.code, fault.message));
  }

  /** A warning, at most one a second per code (the counters say how many there were). */
  private warn(fields: Record<string, unknown> & { code: string }, message: string): void {
    const now = Date.now();
    if (now - (this.lastWarnAt.get(fields.code) ?? 0) < 1000) return;
    this.lastWarnAt.set(fields.code, now);
    this.ctx.log.warn({ ...fields, ...this.counters }, message);
  }

  private notAnswering(detail: string): void {
    if (!this.answering || this.closed) return;
    this.answering = false;
    this.ctx.setState('offline', detail);
  }

  private watchSilence(silenceMs: number): void {
    const check = (): void => {
      const quiet = Date.now() - this.lastFrameAt;
      if (quiet >= silenceMs) this.notAnswering(`device silent: no frame for ${quiet} ms`);
      this.silenceTimer = setTimeout(check, quiet >= silenceMs ? silenceMs : silenceMs - quiet);
    };
    this.silenceTimer = setTimeout(check, silenceMs);
  }

  private lost(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.silenceTimer);
    this.stream.close();
    const closed = new DriverError(
      DriverCode.CONNECTION_LOST,
      `${SerialCode.PORT_CLOSED}: ${this.config.path}: ${error.message}`,
      { cause: error },
    );
    this.queue.close(closed);
    for (const waiter of this.waiters) waiter.reject(closed);
    this.ctx.connectionLost(error);
  }
}

/** Faults that are a damaged frame (not stray bytes): a reply that was sent but cannot be trusted. */
const CORRUPTED = new Set<string>([SerialCode.BAD_CHECKSUM, SerialCode.BAD_LENGTH, SerialCode.BAD_FRAME]);

/** A poll reply as a request verdict: a value is the answer, a bad value fails the request. */
function valueVerdict(result: Extracted, key: string): Verdict<string | number | boolean> {
  if (result === undefined) return undefined;
  if ('value' in result) return { done: result.value };
  return { fail: new SerialError(result.code, `reply for ${JSON.stringify(key)}: ${result.message}`) };
}

function describeFrame(frame: Frame): string {
  return frame.bytes.length <= 128 ? JSON.stringify(frame.text) : `${frame.bytes.length} bytes`;
}
