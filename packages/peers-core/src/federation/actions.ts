/**
 * Actions (seed 003): `handle.<name> = (payload, done)` on a federated hub, run by other sites
 * with `remote(site).run('handle/<name>', payload, cb)`. A hub shares them with other sites' hubs
 * as the module {@link ACTIONS_MODULE}; errors travel as errors (name, message, code and own
 * properties, by the codec), a missing action is `PEERS_UNKNOWN_ACTION`, and every run settles
 * exactly once: with the result, the error, or `ETIMEDOUT`.
 */
import { Code, PeersError, toError } from '../errors.js';

/** `done(error)` or `done(null, result)`; a second call is ignored. */
export type ActionDone = (error?: Error | null, result?: unknown) => void;
/** An action: gets the payload, calls `done` once (or returns a Promise of the result). */
export type ActionHandler = (payload: unknown, done: ActionDone) => unknown;
/** How a run ends. */
export type RunCallback = (error: Error | null, result?: unknown) => void;

/** The module a federated hub shares with other sites' hubs for actions. */
export const ACTIONS_MODULE = 'federation.actions';
/** The prefix of an action's name in `run`. */
export const ACTION_PREFIX = 'handle/';

/** The action name in `handle/<name>`; throws BAD_ARGUMENT otherwise. */
export function actionName(action: unknown): string {
  if (typeof action !== 'string' || !action.startsWith(ACTION_PREFIX) || action.length === ACTION_PREFIX.length) {
    throw new PeersError(
      Code.BAD_ARGUMENT,
      `run: expected an action named "handle/<name>", got ${JSON.stringify(action)}`,
    );
  }
  return action.slice(ACTION_PREFIX.length);
}

/**
 * Run `handle[name](payload, done)` here; `cb` runs exactly once, never synchronously: with the
 * result, the error (a throw or a rejection too), UNKNOWN_ACTION, or ETIMEDOUT after `timeoutMs`
 * (0: no timeout, for runs whose caller keeps its own).
 */
export function runLocal(
  handle: Record<string, ActionHandler>,
  site: string,
  name: string,
  payload: unknown,
  timeoutMs: number,
  cb: RunCallback,
): void {
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (error: Error | null, result?: unknown): void => {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    process.nextTick(cb, error, result);
  };
  const handler = Object.prototype.hasOwnProperty.call(handle, name) ? handle[name] : undefined;
  if (typeof handler !== 'function') {
    settle(
      new PeersError(Code.UNKNOWN_ACTION, `site "${site}" has no action "${name}" (handle.${name} is not a function)`),
    );
    return;
  }
  if (timeoutMs > 0) {
    timer = setTimeout(
      () =>
        settle(
          new PeersError(Code.TIMEOUT, `action "${name}" on site "${site}" did not call done within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    timer.unref?.();
  }
  try {
    const returned = handler(payload, (error, result) => settle(error ? toError(error) : null, result));
    if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
      (returned as PromiseLike<unknown>).then(
        (value) => settle(null, value),
        (error: unknown) => settle(toError(error ?? new PeersError(Code.METHOD_FAILED, `action "${name}" rejected`))),
      );
    }
  } catch (error) {
    settle(toError(error));
  }
}

/** The object shared as {@link ACTIONS_MODULE}: `run(name, payload, cb)` for other sites' hubs. */
export function actionsModule(
  handle: Record<string, ActionHandler>,
  site: string,
): { run(name: unknown, payload: unknown, cb: RunCallback): void } {
  return {
    run(name: unknown, payload: unknown, cb: RunCallback): void {
      if (typeof name !== 'string') {
        process.nextTick(
          cb,
          new PeersError(
            Code.BAD_ARGUMENT,
            `run on site "${site}": the action name must be a string, got ${typeof name}`,
          ),
        );
        return;
      }
      // The caller keeps the timeout (its pending call); a handler that never answers is its own.
      runLocal(handle, site, name, payload, 0, cb);
    },
  };
}
