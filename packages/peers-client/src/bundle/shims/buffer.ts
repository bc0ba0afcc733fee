/**
 * `Buffer` for the connect bundle (injected by esbuild wherever the bundled code names it): the
 * platform's own in Node.js, the `buffer` package in browsers.
 */
import { Buffer as BufferPolyfill } from 'buffer';

const native = (globalThis as { Buffer?: typeof BufferPolyfill }).Buffer;

export const Buffer: typeof BufferPolyfill = typeof native === 'function' ? native : BufferPolyfill;
