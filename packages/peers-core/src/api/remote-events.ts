/**
 * The local side of remote events: an emitter per (peer, scope) whose first listener for an event
 * sends the interest and whose last removed listener withdraws it. Listeners that throw are
 * isolated and reported; they never break delivery to the others.
 */
import { EventEmitter } from 'node:events';
import { Code, PeersError } from '../errors.js';
import { topicOf } from '../mesh/event-router.js';
import type { Mesh } from '../mesh/mesh.js';

export type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const INTERNAL = new Set<string | symbol>(['newListener', 'removeListener']);

export class RemoteEvents {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly mesh: Mesh,
    private readonly source: string,
    private readonly scope: string,
    private readonly report: (error: Error) => void,
  ) {
    this.emitter.setMaxListeners(0);
    this.emitter.on('newListener', (event: string | symbol) => {
      if (typeof event !== 'string' || INTERNAL.has(event) || this.emitter.listenerCount(event) > 0) return;
      this.mesh.subscribe(this.source, topicOf(this.scope, event), (args) => this.deliver(event, args));
    });
    this.emitter.on('removeListener', (event: string | symbol) => {
      if (typeof event !== 'string' || INTERNAL.has(event) || this.emitter.listenerCount(event) > 0) return;
      this.mesh.unsubscribe(this.source, topicOf(this.scope, event));
    });
  }

  on(event: string, listener: Listener): void {
    check(event, listener);
    this.emitter.on(event, this.guard(event, listener, false));
  }

  once(event: string, listener: Listener): void {
    check(event, listener);
    this.emitter.on(event, this.guard(event, listener, true));
  }

  /**
   * Wrap a listener so that a throw is reported and never stops the others; `.listener` lets
   * `removeListener(event, original)` find it (as Node's own once-wrappers do).
   */
  private guard(event: string, listener: Listener, once: boolean): Listener {
    const emitter = this.emitter;
    const guarded = (...args: unknown[]): void => {
      if (once) emitter.removeListener(event, guarded);
      try {
        listener(...args);
      } catch (error) {
        this.report(
          new PeersError(
            Code.LISTENER_FAILED,
            `a listener of "${event}" from "${this.source}"${this.scope ? ` module "${this.scope}"` : ''} threw: ${(error as Error)?.message}`,
            { cause: error },
          ),
        );
      }
    };
    (guarded as Listener & { listener: Listener }).listener = listener;
    return guarded;
  }

  removeListener(event: string, listener: Listener): void {
    this.emitter.removeListener(event, listener);
  }

  /** Listeners of one event, or of all events. */
  listenerCount(event?: string): number {
    if (event !== undefined) return this.emitter.listenerCount(event);
    let n = 0;
    for (const name of this.emitter.eventNames()) if (!INTERNAL.has(name)) n += this.emitter.listenerCount(name);
    return n;
  }

  removeAllListeners(event?: string): void {
    const names =
      event !== undefined
        ? [event]
        : this.emitter.eventNames().filter((n): n is string => typeof n === 'string' && !INTERNAL.has(n));
    for (const name of names) this.emitter.removeAllListeners(name);
  }

  private deliver(event: string, args: unknown[]): void {
    this.emitter.emit(event, ...args);
  }
}

function check(event: unknown, listener: unknown): void {
  if (typeof event !== 'string' || event.length === 0 || event.length > 1024) {
    throw new PeersError(
      Code.BAD_ARGUMENT,
      `event name must be a string of 1-1024 characters, got ${JSON.stringify(event)}`,
    );
  }
  if (INTERNAL.has(event))
    throw new PeersError(Code.BAD_ARGUMENT, `"${event}" is reserved and cannot be listened to remotely`);
  if (typeof listener !== 'function')
    throw new PeersError(Code.BAD_ARGUMENT, `listener for "${event}" must be a function`);
}
