/**
 * `@weble/peers-core/testing`: the one place the packages' tests wait with a deadline (never a
 * sleep as synchronisation): for an event of an emitter, a peers object or a module proxy, and
 * for a condition that has no event. driver-kit's `/testing` and the web server's tests use these.
 */

/** Something with EventEmitter-style listeners (an emitter, a peers object, a module proxy). */
export interface Listenable {
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  removeListener(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Resolve with the arguments of the first `event` that `match` accepts; reject after `ms` (default 5 000). */
export function waitFor<A extends unknown[] = unknown[]>(
  emitter: Listenable,
  event: string,
  match: (...args: A) => boolean = () => true,
  ms = 5_000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    const listener = (...args: A): void => {
      if (!match(...args)) return;
      clearTimeout(timer);
      emitter.removeListener(event, listener);
      resolve(args);
    };
    emitter.on(event, listener);
  });
}

/**
 * Check `condition` (sync, or async such as a probe over a socket) every `intervalMs` (0: every
 * turn of the event loop) until true; reject after `timeoutMs`.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => (intervalMs === 0 ? setImmediate(resolve) : setTimeout(resolve, intervalMs)));
  }
}
