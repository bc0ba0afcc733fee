/**
 * Not a browser test (no Chromium here): the connect bundle evaluated in a fresh V8 context that
 * has what a page has and nothing of Node's (no require, process or Buffer), with the `ws`
 * package's WebSocket standing in for the page's (same WHATWG surface, no headers). It checks
 * that the Buffer, process and events shims carry the whole client.
 */
import os from 'node:os';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Peers } from '@weble/peers-core';
import { startHub, type Hub } from './hub.js';

const distIndex = '../dist/index.js';
const { readConnectSource } = (await import(distIndex)) as typeof import('../src/index.js');
const SESSION = 'YnJvd3Nlci1saWtl';
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

type Connect = (data: unknown, cb: (error: Error | null, peers?: Peers) => void) => void;

function pageContext(): vm.Context {
  const page = {
    // A page's WebSocket takes a URL (and protocols), never headers.
    WebSocket: function PageWebSocket(url: string) {
      return new WebSocket(url);
    },
    URL,
    AbortController,
    AbortSignal,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
  };
  return vm.createContext(page);
}

describe('connect in a context without Node globals (browser-like)', () => {
  it('has no require, process or Buffer, and still gets totalmem and a module event', async () => {
    const hub: Hub = await startHub(SESSION);
    cleanup.push(() => hub.close());
    const context = pageContext();
    expect(vm.runInContext('typeof require + typeof process + typeof Buffer', context)).toBe(
      'undefinedundefinedundefined',
    );
    const connect = vm.runInContext(readConnectSource().source, context) as Connect;
    const peer = await new Promise<Peers>((resolve, reject) => {
      connect({ session: SESSION, ws: `ws://127.0.0.1:${hub.port}/peers`, peer: 'page-1' }, (error, peers) =>
        error ? reject(error) : resolve(peers!),
      );
    });
    cleanup.push(() => peer.close());
    expect(hub.upgrades).toEqual([{ session: SESSION, authorization: undefined }]);
    expect(peer('supervision').isConnected()).toBe(true);
    const system = (await peer('supervision').require('system')) as unknown as {
      totalmem(): Promise<number>;
      on(event: string, listener: (value: unknown) => void): unknown;
    };
    expect(await system.totalmem()).toBe(os.totalmem());
    const alarm = new Promise<unknown>((resolve) => system.on('alarm', resolve));
    await new Promise<void>((resolve) => {
      if (hub.system.listenerCount('alarm') > 0) return resolve();
      hub.system.on('newListener', (name) => name === 'alarm' && resolve());
    });
    hub.system.emit('alarm', [1, 'two', { three: 3 }]);
    expect(await alarm).toEqual([1, 'two', { three: 3 }]);
    expect(peer.listenerCount()).toBeGreaterThan(0);
    peer.removeAllListeners();
    expect(peer.listenerCount()).toBe(0);
  });
});
