/**
 * `Buffer` for the connect bundle (injected by esbuild wherever the bundled code names it): the
 * platform's own in Node.js, the `buffer` package in browsers. The package lacks Node's
 * `latin1Slice` and `utf8Slice`, which the wire decoder uses on its hot path; they are added here
 * as the `toString` they stand for.
 */
import { Buffer as BufferPolyfill } from 'buffer';

const native = (globalThis as { Buffer?: typeof BufferPolyfill }).Buffer;

interface NodeSlices {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
}

function polyfill(): typeof BufferPolyfill {
  const proto = BufferPolyfill.prototype as BufferPolyfill & NodeSlices;
  proto.latin1Slice ??= function latin1Slice(this: BufferPolyfill, start: number, end: number): string {
    return this.toString('latin1', start, end);
  };
  proto.utf8Slice ??= function utf8Slice(this: BufferPolyfill, start: number, end: number): string {
    return this.toString('utf8', start, end);
  };
  return BufferPolyfill;
}

export const Buffer: typeof BufferPolyfill = typeof native === 'function' ? native : polyfill();
