/**
 * Waiting for a condition with a deadline (never a sleep as synchronisation): an event, a
 * predicate polled every few ms, a process that is gone (zombies count as gone).
 */
import { readFileSync } from 'node:fs';
import { waitFor, waitUntil, type Listenable } from '@weble/peers-core/testing';

export { waitUntil, type Listenable } from '@weble/peers-core/testing';

/** Resolve with the arguments of the first `event` that `match` accepts; reject after `timeoutMs` (default 5 000). */
export function waitForEvent<A extends unknown[] = unknown[]>(
  emitter: Listenable,
  event: string,
  options: { match?: (...args: A) => boolean; timeoutMs?: number } = {},
): Promise<A> {
  return waitFor<A>(emitter, event, options.match, options.timeoutMs);
}

/** Whether `pid` is a live process: it exists and, where /proc tells, is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** Wait until `pid` is gone; resolves with the ms it took, rejects after `timeoutMs`. */
export async function waitForProcessGone(pid: number, timeoutMs: number): Promise<number> {
  const start = Date.now();
  await waitUntil(() => !isProcessAlive(pid), { timeoutMs, what: `process ${pid} to exit` });
  return Date.now() - start;
}
