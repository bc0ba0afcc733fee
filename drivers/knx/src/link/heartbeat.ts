/**
 * Our own tunnel heartbeat. knxd sends no DISCONNECT_REQUEST when it stops, and a library's
 * default heartbeat (a CONNECTIONSTATE_REQUEST every 60 s, three misses of 10 s) notices a dead
 * tunnel after 70-100 s. This one sends a CONNECTIONSTATE_REQUEST every `intervalMs`, waits
 * `timeoutMs` for the answer, repeats `retries` times at once, then declares the tunnel dead:
 * at most `intervalMs + (retries + 1) * timeoutMs` after the server went away. Timers are
 * injectable for tests.
 */
import { KnxCode, KnxError } from '../errors.js';
import { describeConnectionStatus, type ConnectionStateResponse } from './connection-state-frames.js';

/** Timing of the heartbeat, ms. */
export interface HeartbeatTiming {
  /** Time between two probes of a live tunnel. Default 3 000. */
  readonly intervalMs: number;
  /** Time to wait for a CONNECTIONSTATE_RESPONSE. Default 1 500. */
  readonly timeoutMs: number;
  /** Repeats of an unanswered probe before the tunnel is dead. Default 1. */
  readonly retries: number;
}

/** Defaults: a dead tunnel is noticed within 6 s. */
export const DEFAULT_HEARTBEAT: HeartbeatTiming = { intervalMs: 3_000, timeoutMs: 1_500, retries: 1 };

/** What the heartbeat needs of the tunnel. */
export interface HeartbeatPort {
  /** The tunnel's channel id. */
  channel(): number;
  /** Send a CONNECTIONSTATE_REQUEST for `channel`. */
  probe(channel: number): void;
  /** The tunnel is dead (no answer, or an error status). Called once. */
  dead(error: KnxError): void;
  /** Where the tunnel goes, for messages (`127.0.0.1:3671`). */
  readonly peer: string;
}

/** Injectable timers. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Probes a tunnel with CONNECTIONSTATE_REQUESTs and reports it dead (see the module comment). */
export class Heartbeat {
  private timer: unknown;
  private misses = 0;
  private waiting = false;
  private stopped = false;
  /** Answers with no error so far. */
  answered = 0;

  constructor(
    private readonly port: HeartbeatPort,
    private readonly timing: HeartbeatTiming = DEFAULT_HEARTBEAT,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Start probing after one interval. */
  start(): void {
    this.schedule(this.timing.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  /** Feed every CONNECTIONSTATE_RESPONSE that arrives. */
  received(response: ConnectionStateResponse): void {
    if (this.stopped || !this.waiting || response.channel !== this.port.channel()) return;
    this.waiting = false;
    if (response.status !== 0) {
      return this.die(
        `the server answered the connection-state request with ${describeConnectionStatus(response.status)}`,
      );
    }
    this.misses = 0;
    this.answered++;
    this.schedule(this.timing.intervalMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.send(), ms);
  }

  private send(): void {
    if (this.stopped) return;
    this.waiting = true;
    this.port.probe(this.port.channel());
    this.timer = this.timers.set(() => this.missed(), this.timing.timeoutMs);
  }

  private missed(): void {
    if (this.stopped || !this.waiting) return;
    this.misses++;
    if (this.misses > this.timing.retries) {
      return this.die(`no answer to ${this.misses} connection-state request(s) of ${this.timing.timeoutMs} ms`);
    }
    this.send();
  }

  private die(why: string): void {
    this.stop();
    this.port.dead(
      new KnxError(
        KnxCode.HEARTBEAT_FAILED,
        `tunnel to ${this.port.peer} (channel ${this.port.channel()}) is dead: ${why}`,
      ),
    );
  }
}
