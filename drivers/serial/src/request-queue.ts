/**
 * Request/response over one serial line: one request in flight at a time, in call order. A
 * request is sent, then each incoming frame is offered to it until it accepts one; no answer within
 * `timeoutMs` sends it again, up to `retries` times, then fails with `SERIAL_TIMEOUT`. A corrupted
 * frame while it waits (bad checksum, bad length) is taken as a corrupted answer: the request is
 * sent again at once within the same budget, and fails with that fault's code when none is left.
 * Frames the pending request does not take are left to the caller (unsolicited values).
 */
import { SerialCode, SerialError } from './errors.js';
import type { Frame } from './extract.js';

/** What a request makes of a frame: not its answer (undefined), its answer, or a refusal. */
export type Verdict<T> = undefined | { done: T } | { fail: Error };

/** One request. */
export interface Request<T> {
  /** Bytes to send (already framed). */
  bytes: Buffer;
  /** Judge an incoming frame; without it, the request is done once the bytes are sent. */
  accept?: (frame: Frame) => Verdict<T>;
  /** Answer timeout per attempt, ms. */
  timeoutMs: number;
  /** Extra attempts after a timeout. */
  retries: number;
  /** Names the request in errors (`"READ T\r\n" for "temp"`). */
  label: string;
}

interface Pending {
  request: Request<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Dependencies of a {@link RequestQueue}. */
export interface RequestQueueOptions {
  /** Write bytes to the port; resolves once written. */
  send(bytes: Buffer): Promise<void>;
  /** Called when a request fails after every retry (the device stopped answering). */
  onTimeout?(error: SerialError): void;
  /** Called when a request got its answer. */
  onAnswer?(): void;
}

/** Requests over one line, one in flight at a time; see the module comment. */
export class RequestQueue {
  private readonly queue: Pending[] = [];
  private current: (Pending & { timer?: NodeJS.Timeout | undefined; attempt: number; corrupted: number }) | undefined;
  private closed: Error | undefined;

  constructor(private readonly options: RequestQueueOptions) {}

  /** Requests waiting or in flight. */
  get size(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Whether a request has been sent and waits for its answer. */
  get waiting(): boolean {
    return this.current?.timer !== undefined;
  }

  /** Queue `request`; resolves with the accepted answer (undefined when none is expected). */
  request<T>(request: Request<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request: request as Request<unknown>, resolve: resolve as (value: unknown) => void, reject });
      this.next();
    });
  }

  /** Offer an incoming frame to the request in flight. True when it took the frame. */
  offer(frame: Frame): boolean {
    const current = this.current;
    if (!current?.request.accept) return false; // answers may arrive before the write's callback
    let verdict: Verdict<unknown>;
    try {
      verdict = current.request.accept(frame);
    } catch (error) {
      verdict = { fail: error instanceof Error ? error : new Error(String(error)) };
    }
    if (verdict === undefined) return false;
    this.finish();
    if ('done' in verdict) {
      this.options.onAnswer?.();
      current.resolve(verdict.done);
    } else {
      this.options.onAnswer?.();
      current.reject(verdict.fail);
    }
    return true;
  }

  /**
   * A corrupted frame arrived (`error` carries its code). While a request waits for its answer it
   * is that answer, damaged: the request is sent again at once if it has retries left, else it
   * fails with `error`. Ignored when no request is waiting.
   */
  corrupted(error: SerialError): void {
    const current = this.current;
    if (!current?.request.accept || !this.waiting) return;
    clearTimeout(current.timer);
    current.corrupted++;
    if (current.attempt <= current.request.retries) return this.attempt();
    const { request } = current;
    this.finish();
    current.reject(
      new SerialError(
        error.code,
        `${request.label}: ${plural(current.attempt, 'attempt')}, the last answer corrupted: ${error.message}`,
        { cause: error },
      ),
    );
  }

  /** Fail the request in flight and every queued one with `error`; later requests fail at once. */
  close(error: Error): void {
    this.closed ??= error;
    const current = this.current;
    this.finish();
    current?.reject(error);
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  private finish(): void {
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.current = undefined;
    queueMicrotask(() => this.next());
  }

  private next(): void {
    if (this.current || this.closed) return;
    const pending = this.queue.shift();
    if (!pending) return;
    this.current = { ...pending, attempt: 0, corrupted: 0 };
    this.attempt();
  }

  private attempt(): void {
    const current = this.current;
    if (!current) return;
    const { request } = current;
    current.attempt++;
    current.timer = undefined;
    this.options.send(request.bytes).then(
      () => {
        if (this.current !== current) return;
        if (!request.accept) {
          this.finish();
          return current.resolve(undefined);
        }
        current.timer = setTimeout(() => this.timedOut(current), request.timeoutMs);
      },
      (error: unknown) => {
        if (this.current !== current) return;
        this.finish();
        current.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  private timedOut(current: NonNullable<RequestQueue['current']>): void {
    if (this.current !== current) return;
    const { request } = current;
    if (current.attempt <= request.retries) return this.attempt();
    const corrupted = current.corrupted > 0 ? `, ${plural(current.corrupted, 'corrupted answer')}` : '';
    const error = new SerialError(
      SerialCode.TIMEOUT,
      `no answer to ${request.label} within ${request.timeoutMs} ms (${plural(current.attempt, 'attempt')}${corrupted})`,
    );
    this.finish();
    this.options.onTimeout?.(error);
    current.reject(error);
  }
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
