/**
 * `peers(name)`: the handle of a remote peer, with `require`, remote events, `emit` and
 * `isConnected`; and module proxies, one cached per (peer, module), refreshed by each `require`.
 */
import { Code, PeersError } from '../errors.js';
import type { Mesh } from '../mesh/mesh.js';
import type { ModuleDescription } from '../mesh/module-registry.js';
import { RemoteEvents, type Listener } from './remote-events.js';

/** Node-style callback. */
export type Callback<T = unknown> = (error: Error | null, result?: T, ...more: unknown[]) => void;

/** A remote method: pass a callback last, or get a Promise of the first result. */
export interface RemoteMethod {
  (...args: any[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The same method with its own timeout in ms. */
  timeout(ms: number): RemoteMethod;
}

/** Events of a remote module. */
export interface ModuleEvents {
  on(event: string, listener: Listener): ModuleProxy;
  addListener(event: string, listener: Listener): ModuleProxy;
  once(event: string, listener: Listener): ModuleProxy;
  removeListener(event: string, listener: Listener): ModuleProxy;
  off(event: string, listener: Listener): ModuleProxy;
}

/**
 * The local proxy of a remote module: its methods (each a {@link RemoteMethod}) plus its events.
 * Methods are only known at run time; pass an interface to `require<T>()` for static types.
 */
export type ModuleProxy = ModuleEvents & { [method: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The handle of a remote peer returned by `peers(name)`. */
export interface RemotePeer {
  readonly name: string;
  /** Load a module's proxy (round trip); a callback or a Promise. */
  require<M extends object = ModuleProxy>(module: string): Promise<M & ModuleEvents>;
  require<M extends object = ModuleProxy>(module: string, callback: Callback<M & ModuleEvents>): void;
  /** Call a method without a proxy, with options. Resolves with all results. */
  call(module: string, method: string, args?: unknown[], options?: { timeoutMs?: number }): Promise<unknown[]>;
  on(event: string, listener: Listener): RemotePeer;
  addListener(event: string, listener: Listener): RemotePeer;
  once(event: string, listener: Listener): RemotePeer;
  removeListener(event: string, listener: Listener): RemotePeer;
  off(event: string, listener: Listener): RemotePeer;
  removeAllListeners(event?: string): RemotePeer;
  listenerCount(event?: string): number;
  /** Emit on the remote peer's emitter; true when it was handed to a live link. */
  emit(event: string, ...args: unknown[]): boolean;
  isConnected(): boolean;
}

interface ProxyState {
  proxy: ModuleProxy;
  events: RemoteEvents;
  methods: Set<string>;
}

export class RemotePeerHandle {
  readonly handle: RemotePeer;
  private readonly events: RemoteEvents;
  private readonly proxies = new Map<string, ProxyState>();

  constructor(
    private readonly mesh: Mesh,
    readonly name: string,
    private readonly callTimeoutMs: number,
    private readonly report: (peer: string, error: Error) => void,
  ) {
    this.events = new RemoteEvents(mesh, name, '', (e) => report(name, e));
    const events = this.events;
    const handle: RemotePeer = {
      name,
      require: ((module: string, callback?: Callback<ModuleProxy>) => {
        const promise = this.require(module);
        if (typeof callback !== 'function') return promise;
        const call = (error: Error | null, proxy?: ModuleProxy): void => {
          try {
            callback(error, proxy);
          } catch (thrown) {
            report(
              name,
              new PeersError(
                Code.LISTENER_FAILED,
                `the callback of require("${module}") threw: ${(thrown as Error)?.message}`,
                { cause: thrown },
              ),
            );
          }
        };
        promise.then(
          (proxy) => call(null, proxy),
          (error: Error) => call(error),
        );
        return undefined;
      }) as RemotePeer['require'],
      call: (module, method, args = [], options = {}) =>
        this.callRaw(module, method, args, options.timeoutMs ?? callTimeoutMs),
      on: (event, listener) => (events.on(event, listener), handle),
      addListener: (event, listener) => (events.on(event, listener), handle),
      once: (event, listener) => (events.once(event, listener), handle),
      removeListener: (event, listener) => (events.removeListener(event, listener), handle),
      off: (event, listener) => (events.removeListener(event, listener), handle),
      removeAllListeners: (event) => (this.removeAllListeners(event), handle),
      listenerCount: (event) => this.listenerCount(event),
      emit: (event, ...args) => {
        if (typeof event !== 'string' || event.length === 0)
          throw new PeersError(Code.BAD_ARGUMENT, 'emit needs an event name');
        return mesh.emitTo(name, event, args);
      },
      isConnected: () => mesh.isReachable(name),
    };
    this.handle = handle;
  }

  listenerCount(event?: string): number {
    let n = this.events.listenerCount(event);
    for (const p of this.proxies.values()) n += p.events.listenerCount(event);
    return n;
  }

  removeAllListeners(event?: string): void {
    this.events.removeAllListeners(event);
    for (const p of this.proxies.values()) p.events.removeAllListeners(event);
  }

  private callRaw(module: string, method: string, args: unknown[], timeoutMs: number): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.mesh.call(this.name, module, method, args, timeoutMs, (error, results) =>
        error ? reject(error) : resolve(results),
      );
    });
  }

  private require(module: string): Promise<ModuleProxy> {
    if (typeof module !== 'string' || module.length === 0) {
      return Promise.reject(
        new PeersError(Code.BAD_ARGUMENT, `require needs a module name, got ${JSON.stringify(module)}`),
      );
    }
    return new Promise((resolve, reject) => {
      this.mesh.describe(this.name, module, this.callTimeoutMs, (error, results) => {
        if (error) {
          // Unreachable peer: an earlier proxy is still this module's proxy (its calls fail with
          // PEER_DISCONNECTED), so cleanup code on 'disconnect' can remove its listeners.
          const cached = this.proxies.get(module);
          if (cached && (error as PeersError).code === Code.PEER_DISCONNECTED) return resolve(cached.proxy);
          return reject(error);
        }
        const description = results[0] as ModuleDescription | undefined;
        if (!description || !Array.isArray(description.methods)) {
          return reject(
            new PeersError(Code.BAD_FRAME, `peer "${this.name}" answered require("${module}") with no method list`),
          );
        }
        resolve(
          this.refresh(
            module,
            description.methods.filter((m): m is string => typeof m === 'string'),
          ),
        );
      });
    });
  }

  /** Create or update the cached proxy so it has exactly the methods the module has now. */
  private refresh(module: string, methods: string[]): ModuleProxy {
    let state = this.proxies.get(module);
    if (!state) {
      const events = new RemoteEvents(this.mesh, this.name, module, (e) => this.report(this.name, e));
      const proxy = {} as ModuleProxy;
      const on = (event: string, listener: Listener): ModuleProxy => (events.on(event, listener), proxy);
      const off = (event: string, listener: Listener): ModuleProxy => (events.removeListener(event, listener), proxy);
      Object.defineProperties(proxy, {
        on: { value: on },
        addListener: { value: on },
        once: { value: (event: string, listener: Listener) => (events.once(event, listener), proxy) },
        removeListener: { value: off },
        off: { value: off },
      });
      state = { proxy, events, methods: new Set() };
      this.proxies.set(module, state);
    }
    const next = new Set(methods);
    for (const old of state.methods) if (!next.has(old)) delete (state.proxy as Record<string, unknown>)[old];
    for (const method of next) {
      if (!state.methods.has(method) && !(method in state.proxy)) {
        (state.proxy as Record<string, unknown>)[method] = this.method(module, method, this.callTimeoutMs);
      }
    }
    state.methods = new Set([...next].filter((m) => typeof (state.proxy as Record<string, unknown>)[m] === 'function'));
    return state.proxy;
  }

  private method(module: string, method: string, timeoutMs: number): RemoteMethod {
    const fn = ((...args: unknown[]) => {
      const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined;
      if (callback) {
        this.mesh.call(this.name, module, method, args, timeoutMs, (error, results) => {
          try {
            callback(error, ...results);
          } catch (thrown) {
            this.report(
              this.name,
              new PeersError(
                Code.LISTENER_FAILED,
                `the callback of ${module}.${method} threw: ${(thrown as Error)?.message}`,
                { cause: thrown },
              ),
            );
          }
        });
        return undefined;
      }
      return new Promise((resolve, reject) => {
        this.mesh.call(this.name, module, method, args, timeoutMs, (error, results) =>
          error ? reject(error) : resolve(results[0]),
        );
      });
    }) as RemoteMethod;
    fn.timeout = (ms: number) => this.method(module, method, ms);
    return fn;
  }
}
