/**
 * Sends the buffer's values to the broker in order: up to `window` messages in flight, each
 * committed (dropped from the buffer) once the broker acknowledged it and every one before it.
 * Only while connected; what was in flight at a disconnection is read again from the buffer
 * ({@link Forwarder.reset}) and sent in the next session. A message the broker refuses (an ACL) is
 * counted and committed: it would be refused again.
 * The window is refilled once per turn of the event loop, not once per acknowledgement: MQTT.js
 * handles the acknowledgements of one socket read one by one, and a publish after each went out
 * as its own socket write; refilled after all of them, the next messages leave in one write.
 */
import type { Sample } from '../plain/payload.js';
import type { DiskQueue, QueuedSample } from './disk-queue.js';
import type { Position } from './position.js';

/** Send one value; call `done` once the broker has it (QoS 1) or it was written (QoS 0). */
export type SendSample = (sample: Sample, done: (error?: Error & { code?: unknown }) => void) => void;

interface InFlight {
  end: Position;
  done: boolean;
}

/** Options of {@link Forwarder}. */
export interface ForwarderOptions {
  /** Messages in flight at most. Default 256. */
  window?: number;
  /** Told of a refused message (counted as refused, then committed). */
  onRefused?: (sample: Sample, error: Error & { code?: unknown }) => void;
  /** Told of each value the broker acknowledged. */
  onPublished?: (count: number) => void;
}

export class Forwarder {
  private connected = false;
  private readonly inFlight: InFlight[] = [];
  private pumping = false;
  private refillScheduled = false;
  private readonly window: number;
  /** Bumped by {@link reset}: callbacks of an older generation are ignored. */
  private generation = 0;

  constructor(
    private readonly queue: DiskQueue,
    private readonly send: SendSample,
    private readonly options: ForwarderOptions = {},
  ) {
    this.window = options.window ?? 256;
  }

  /** Values sent and not yet acknowledged. */
  get pending(): number {
    return this.inFlight.length;
  }

  /** The broker link is up (send) or down (hold). */
  setConnected(connected: boolean): void {
    this.connected = connected;
    if (connected) this.pump();
  }

  /**
   * Forget what is in flight and read it again from the buffer (a mode that starts every
   * connection afresh, with a new client, calls this when the old one is gone).
   */
  reset(): void {
    this.generation++;
    this.inFlight.length = 0;
    this.queue.rewind();
  }

  /** New values may be in the buffer: send what the window allows. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.connected && this.inFlight.length < this.window) {
        const batch = this.queue.next(this.window - this.inFlight.length);
        if (batch.length === 0) break;
        for (const item of batch) this.sendOne(item);
      }
    } finally {
      this.pumping = false;
    }
  }

  private sendOne(item: QueuedSample): void {
    const entry: InFlight = { end: item.end, done: false };
    const generation = this.generation;
    this.inFlight.push(entry);
    this.send(item.sample, (error) => {
      if (generation !== this.generation) return;
      if (error && typeof error.code !== 'number') {
        // The connection closed for good (the client is ending): read these again next time.
        this.reset();
        return;
      }
      if (error) this.options.onRefused?.(item.sample, error);
      entry.done = true;
      this.settle();
    });
  }

  /** Commit the acknowledged prefix of what is in flight. */
  private settle(): void {
    let count = 0;
    let end: Position | undefined;
    while (this.inFlight.length > 0 && this.inFlight[0]!.done) {
      end = this.inFlight.shift()!.end;
      count++;
    }
    if (end === undefined) return;
    this.queue.commit(end, count);
    this.options.onPublished?.(count);
    if (this.refillScheduled) return;
    this.refillScheduled = true;
    setImmediate(() => {
      this.refillScheduled = false;
      this.pump();
    });
  }
}
