/**
 * Keeps the device connected: connect, report `online`, wait until the link is lost, disconnect,
 * report `offline`, wait a backoff delay (exponential with jitter), connect again; until stopped.
 * Time, randomness and delays are injectable so the loop is tested without waiting.
 */
import type { Backoff } from './peer-types.js';
import type { DeviceState } from './definition.js';

/** One connection attempt and, when it succeeds, the life of that connection. */
export interface Session {
  /** Aborted when this connection ends (lost, timed out, or the driver stops). */
  readonly signal: AbortSignal;
  /** Declare this connection broken; ignored once the connection has ended. */
  lost(error: Error): void;
}

/** Dependencies of a {@link DeviceConnection}. */
export interface DeviceConnectionOptions<Device> {
  connect(session: Session): Promise<Device>;
  disconnect(device: Device): Promise<void>;
  /** Delay before retry number `attempt` (0-based), ms. */
  backoff: Backoff;
  /** A connection up at least this long (ms) resets the attempt count. */
  stableMs: number;
  /** A connect taking longer than this (ms) fails. */
  connectTimeoutMs: number;
  /** Every state change of the loop, with a human detail and the error behind it. */
  onState(state: DeviceState, detail?: string, error?: Error): void;
  /** A connect failed (rejected or timed out); called before the `offline` state. */
  onConnectFailed?(error: Error): void;
  /** The device is online; `signal` is aborted when this connection ends. */
  onOnline(device: Device, signal: AbortSignal): void;
  /** Reports errors of `disconnect` (they never stop the loop). */
  onDisconnectError(error: Error): void;
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Attempt count after a connection that lasted `upMs`: reset when it was stable. Pure. */
export function attemptAfterSession(attempt: number, upMs: number, stableMs: number): number {
  return upMs >= stableMs ? 0 : attempt;
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export class DeviceConnection<Device> {
  private readonly stopper = new AbortController();
  private current: { device: Device; session: AbortController } | undefined;
  private running: Promise<void> | undefined;
  private readonly delay: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: DeviceConnectionOptions<Device>) {
    this.delay = options.delay ?? abortableDelay;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** The connected device, or undefined while connecting or offline. */
  get device(): Device | undefined {
    return this.current?.device;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Declare the current connection broken (no effect when not connected). */
  lost(error: Error): void {
    this.current?.session.abort(error);
  }

  /** Stop reconnecting, end the current connection and disconnect the device. */
  async stop(): Promise<void> {
    this.stopper.abort(new Error('driver stopping'));
    await this.running;
  }

  private async run(): Promise<void> {
    const stop = this.stopper.signal;
    let attempt = 0;
    while (!stop.aborted) {
      const session = new AbortController();
      const endSession = (): void => session.abort(stop.reason);
      stop.addEventListener('abort', endSession, { once: true });
      this.options.onState('connecting', attempt === 0 ? undefined : `attempt ${attempt + 1}`);
      let device: Device;
      try {
        device = await this.connectOnce(session);
      } catch (error) {
        stop.removeEventListener('abort', endSession);
        session.abort(error);
        if (stop.aborted) break;
        this.options.onConnectFailed?.(toError(error));
        const ms = this.options.backoff(attempt++, this.random);
        this.options.onState('offline', `connect failed: ${toError(error).message}; retry in ${ms} ms`, toError(error));
        await this.delay(ms, stop);
        continue;
      }
      const upSince = this.now();
      const cause = await this.online(device, session);
      stop.removeEventListener('abort', endSession);
      await this.disconnect(device);
      if (stop.aborted) break;
      attempt = attemptAfterSession(attempt, this.now() - upSince, this.options.stableMs);
      const ms = this.options.backoff(attempt++, this.random);
      this.options.onState('offline', `connection lost: ${cause.message}; retry in ${ms} ms`, cause);
      await this.delay(ms, stop);
    }
  }

  /**
   * One connect, failing on timeout or stop (the session's abort reason). A device that arrives
   * after that is disconnected at once.
   */
  private connectOnce(session: AbortController): Promise<Device> {
    const signal = session.signal;
    let attemptPromise: Promise<Device>;
    try {
      attemptPromise = Promise.resolve(this.options.connect({ signal, lost: (error) => session.abort(error) }));
    } catch (error) {
      return Promise.reject(toError(error));
    }
    return new Promise<Device>((resolve, reject) => {
      const timer = setTimeout(
        () => session.abort(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
      const fail = (): void => {
        clearTimeout(timer);
        reject(toError(signal.reason));
        attemptPromise.then(
          (late) => this.disconnect(late),
          () => undefined,
        );
      };
      if (signal.aborted) return fail();
      signal.addEventListener('abort', fail, { once: true });
      attemptPromise.then(
        (device) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', fail);
          resolve(device);
        },
        (error: unknown) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', fail);
          reject(toError(error));
        },
      );
    });
  }

  /** Report online and resolve with the cause when the connection is lost or the driver stops. */
  private online(device: Device, session: AbortController): Promise<Error> {
    const signal = session.signal;
    if (signal.aborted) return Promise.resolve(toError(signal.reason));
    return new Promise<Error>((resolve) => {
      this.current = { device, session };
      signal.addEventListener(
        'abort',
        () => {
          if (this.current?.session === session) this.current = undefined;
          resolve(toError(signal.reason ?? new Error('connection ended')));
        },
        { once: true },
      );
      this.options.onState('online');
      if (!signal.aborted) this.options.onOnline(device, signal);
    });
  }

  private async disconnect(device: Device): Promise<void> {
    try {
      await this.options.disconnect(device);
    } catch (error) {
      this.options.onDisconnectError(toError(error));
    }
  }
}
