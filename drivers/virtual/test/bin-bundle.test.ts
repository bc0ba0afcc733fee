/**
 * The driver's bin is one bundled file (scripts/build/driver-bin.tsup.mjs) that carries only what a
 * driver process uses (docs/memory.md): importing peers-core's main entry anywhere on the kit's
 * path (instead of `@weble/peers-core/core`) would bring pino, the WebSocket server and federation
 * back into every driver, about 4 MiB of RSS each. Checked on the built file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = readFileSync(new URL('../dist/bin.js', import.meta.url), 'utf8');

describe('the bundled driver bin', () => {
  it('has no pino, no WebSocket server and no federation in it', () => {
    const found = ['sonic-boom', 'pino-std-serializers', 'WebSocketServer', 'FederationServices'].filter((marker) => bin.includes(marker));
    expect(found).toEqual([]);
  });

  it('is one file: no import of @weble packages at run time', () => {
    expect(bin).not.toMatch(/from\s*["']@weble\//);
  });
});
