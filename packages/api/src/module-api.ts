/**
 * How a module's API is written once and read from both sides of the mesh: each method as its
 * arguments and the results its callback answers after the error; `Served` is what the module
 * implements (Node-style callbacks, seed 000), `Remote` what a peer's proxy of it offers
 * (a Promise of the first result, or the same callback).
 */

/** One method: what it is called with, and what its callback answers after `null`. */
export interface Method<Args extends unknown[] = [], Results extends unknown[] = []> {
  args: Args;
  results: Results;
}

/** Any method (the constraint of the types below). */
export type AnyMethod = Method<any[], unknown[]>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A module's API: its methods by name. */
export type ModuleApi<Api> = { [K in keyof Api]: AnyMethod };

/** The error-first callback of a method: an Error, or `null` and the results (absent with an error). */
export type Reply<Results extends unknown[]> = (error: Error | null, ...results: Partial<Results>) => void;

/** The callback of method `K` of `Api`. */
export type ReplyOf<Api extends ModuleApi<Api>, K extends keyof Api> = Reply<Api[K]['results']>;

/** What the module serving `Api` implements: each method with its arguments, then its callback. */
export type Served<Api extends ModuleApi<Api>> = {
  [K in keyof Api]: (...args: [...Api[K]['args'], reply: ReplyOf<Api, K>]) => void;
};

/** The first result, which a proxy's Promise resolves with (`undefined` when there is none). */
export type FirstResult<Results extends unknown[]> = Results extends []
  ? undefined
  : Results extends [infer First, ...unknown[]]
    ? First
    : Results extends [(infer First)?, ...unknown[]]
      ? First | undefined
      : undefined;

/** A method as a peer's proxy offers it: without a callback a Promise of the first result. */
export type RemoteMethod<M extends AnyMethod> = ((...args: M['args']) => Promise<FirstResult<M['results']>>) &
  ((...args: [...M['args'], reply: Reply<M['results']>]) => void);

/** A listener of any event. */
export type AnyListener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Listening to a module's events: typed for the events of `Events`, any other by name. */
export interface ModuleEvents<Events> {
  on<E extends keyof Events & string>(event: E, listener: Events[E]): unknown;
  on(event: string, listener: AnyListener): unknown;
  removeListener<E extends keyof Events & string>(event: E, listener: Events[E]): unknown;
  removeListener(event: string, listener: AnyListener): unknown;
}

/** A peer's proxy of a module serving `Api` and emitting `Events`. */
export type Remote<Api extends ModuleApi<Api>, Events = Record<never, AnyListener>> = {
  [K in keyof Api]: RemoteMethod<Api[K]>;
} & ModuleEvents<Events>;
