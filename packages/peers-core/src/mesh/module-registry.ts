/**
 * The modules a peer shares: lookup, method lists, share filters, and invocation of a shared
 * method with a callback that may be called once.
 */
import { EventEmitter } from 'node:events';
import { Code, PeersError, toError } from '../errors.js';

/**
 * Decides per caller whether a module may be used. Runs on require and subscribe (without
 * `method`) and on every call (with the method's name), so a module can be open to some callers
 * for some methods only.
 */
export type ShareFilter = (callerPeerName: string, method?: string) => boolean;

/** What `require` learns of a module. */
export interface ModuleDescription {
  methods: string[];
  emits: boolean;
}

interface Shared {
  object: object;
  filter: ShareFilter | undefined;
}

/** Names never exposed as methods: emitter plumbing and Object's own. */
const HIDDEN = new Set([
  ...Object.getOwnPropertyNames(EventEmitter.prototype),
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
]);

function isExposed(name: string): boolean {
  return !name.startsWith('_') && !HIDDEN.has(name);
}

/**
 * Find `name` as a method of the object. Emitter plumbing, Object's and Function's own names and
 * names starting with `_` are never methods, wherever they are found.
 */
function methodOf(object: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (!isExposed(name)) return undefined;
  const value = (object as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown) : undefined;
}

function listMethods(object: object): string[] {
  const names = new Set<string>();
  let proto: object | null = object;
  while (proto && proto !== Object.prototype && proto !== EventEmitter.prototype && proto !== Function.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (names.has(name) || !isExposed(name)) continue;
      if (methodOf(object, name)) names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/** Is the object an event emitter whose events can be listened to remotely? */
export function emitterOf(object: object): EventEmitter | undefined {
  const o = object as Partial<EventEmitter>;
  return typeof o.on === 'function' && typeof o.removeListener === 'function' ? (object as EventEmitter) : undefined;
}

export class ModuleRegistry {
  private readonly modules = new Map<string, Shared>();
  private running: string | undefined;

  constructor(private readonly owner: string) {}

  share(name: string, object: object, filter: ShareFilter | undefined): void {
    this.modules.set(name, { object, filter });
  }

  unshare(name: string): boolean {
    return this.modules.delete(name);
  }

  /** The caller of the module method running now (its synchronous part), else undefined. */
  get caller(): string | undefined {
    return this.running;
  }

  names(): string[] {
    return [...this.modules.keys()];
  }

  get(name: string): object | undefined {
    return this.modules.get(name)?.object;
  }

  /**
   * Throws UNKNOWN_MODULE or FORBIDDEN; returns the module's object when `caller` may use it (for
   * a call: its `method`; without one: describe and subscribe).
   */
  authorize(name: string, caller: string, method?: string): object {
    const shared = this.modules.get(name);
    if (!shared) throw new PeersError(Code.UNKNOWN_MODULE, `peer "${this.owner}" has no module "${name}"`);
    let allowed: unknown;
    try {
      allowed = shared.filter ? shared.filter(caller, method) : true;
    } catch (error) {
      throw new PeersError(
        Code.FORBIDDEN,
        `share filter of module "${name}" on "${this.owner}" threw for "${caller}": ${(error as Error).message}`,
      );
    }
    if (allowed !== true) {
      throw new PeersError(
        Code.FORBIDDEN,
        `peer "${caller}" may not use ${method === undefined ? 'module' : `method ${JSON.stringify(method)} of module`} "${name}" on "${this.owner}"`,
      );
    }
    return shared.object;
  }

  describe(name: string, caller: string): ModuleDescription {
    const object = this.authorize(name, caller);
    return { methods: listMethods(object), emits: emitterOf(object) !== undefined };
  }

  /**
   * Run `module.method(...args, callback)` for `caller`. `reply` is called exactly once with
   * (error, results); a second callback call goes to `onTwice` instead.
   */
  invoke(
    name: string,
    method: string,
    args: unknown[],
    caller: string,
    reply: (error: Error | null, results: unknown[]) => void,
    onTwice: (error: PeersError) => void,
  ): void {
    let object: object;
    try {
      object = this.authorize(name, caller, method);
    } catch (error) {
      reply(error as Error, []);
      return;
    }
    const fn = methodOf(object, method);
    if (!fn) {
      reply(new PeersError(Code.UNKNOWN_METHOD, `module "${name}" on "${this.owner}" has no method "${method}"`), []);
      return;
    }
    let done = false;
    const callback = (error?: unknown, ...results: unknown[]): void => {
      if (done) {
        onTwice(
          new PeersError(
            Code.CALLBACK_TWICE,
            `${name}.${method} on "${this.owner}" called its callback more than once (call from "${caller}"); the extra call was dropped`,
          ),
        );
        return;
      }
      done = true;
      reply(error === null || error === undefined ? null : toError(error), results);
    };
    const outer = this.running;
    try {
      args.push(callback);
      this.running = caller;
      let returned: unknown;
      try {
        returned = fn.apply(object, args);
      } finally {
        this.running = outer;
      }
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        (returned as PromiseLike<unknown>).then(
          (value) => {
            if (!done) callback(null, value);
          },
          (error: unknown) => {
            if (!done) callback(error ?? new PeersError(Code.METHOD_FAILED, `${name}.${method} rejected`));
          },
        );
      }
    } catch (error) {
      if (!done) callback(error);
      else
        onTwice(
          new PeersError(
            Code.METHOD_FAILED,
            `${name}.${method} on "${this.owner}" threw after answering: ${(error as Error)?.message}`,
          ),
        );
    }
  }
}
