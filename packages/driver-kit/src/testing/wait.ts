/**
 * Waiting for a condition with a deadline (never a sleep as synchronisation): an event, a
 * predicate polled every few ms, a process that is gone (zombies count as gone).
 */
import { readFileSync } from 'node:fs';

/** Something with EventEmitter-style listeners (an emitter, a peers object, a module proxy). */
export interface Listenable {
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  removeListener(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Resolve with the arguments of the first `event` that `match` accepts; reject after `timeoutMs` (default 5 000). */
export function waitForEvent<A extends unknown[] = unknown[]>(
  emitter: Listenable,
  event: string,
  options: { match?: (...args: A) => boolean; timeoutMs?: number } = {},
): Promise<A> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    const listener = (...args: A): void => {
      if (options.match && !options.match(...args)) return;
      clearTimeout(timer);
      emitter.removeListener(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}

/** Poll `condition` every `intervalMs` (default 10) until true; reject after `timeoutMs` (default 5 000). */
export async function waitUntil(condition: () => boolean, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
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
