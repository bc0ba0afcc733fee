/**
 * `process` for the connect bundle (injected by esbuild): the platform's own in Node.js; in
 * browsers only what the mesh uses, `nextTick` (a microtask) and an empty `env`.
 */
interface ProcessShim {
  env: Record<string, string | undefined>;
  nextTick(fn: (...args: never[]) => void, ...args: unknown[]): void;
}

const native = (globalThis as { process?: ProcessShim }).process;

export const process: ProcessShim =
  native && typeof native.nextTick === 'function'
    ? native
    : {
        env: {},
        nextTick(fn, ...args) {
          queueMicrotask(() => (fn as (...a: unknown[]) => void)(...args));
        },
      };
