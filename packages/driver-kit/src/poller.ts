/**
 * Polling while the device is online: every address is read once when the device comes online,
 * then the polled addresses every `periodMs` (fixed rate; a cycle that overruns starts the next
 * one at once, never two at a time). Stops when the connection's signal aborts.
 */
import { abortableDelay } from './device-connection.js';

/** Dependencies of {@link pollLoop}. */
export interface PollLoop<A> {
  /** Every address (read once at the start). */
  all: readonly A[];
  /** The addresses read on each poll. */
  polled: readonly A[];
  /** Poll period, ms; undefined: only the first full read. */
  periodMs: number | undefined;
  /** Read one address and report it; must not throw (errors are handled inside). */
  read(address: A): Promise<void>;
  /** Called after each cycle. */
  onCycle?(): void;
  signal: AbortSignal;
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

async function cycle<A>(addresses: readonly A[], loop: PollLoop<A>): Promise<void> {
  for (const address of addresses) {
    if (loop.signal.aborted) return;
    await loop.read(address);
  }
  if (!loop.signal.aborted) loop.onCycle?.();
}

/** Run the reads until `signal` aborts. Resolves when stopped. */
export async function pollLoop<A>(loop: PollLoop<A>): Promise<void> {
  const delay = loop.delay ?? abortableDelay;
  const now = loop.now ?? Date.now;
  let next = now();
  await cycle(loop.all, loop);
  const period = loop.periodMs;
  if (period === undefined || !(period > 0) || loop.polled.length === 0) return;
  while (!loop.signal.aborted) {
    next += period;
    const wait = next - now();
    if (wait > 0) await delay(wait, loop.signal);
    else next = now();
    if (loop.signal.aborted) return;
    await cycle(loop.polled, loop);
  }
}
