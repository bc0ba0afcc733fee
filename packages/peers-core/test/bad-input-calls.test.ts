/**
 * Bad input from the outside, calls and flow: unknown modules and methods, share filters, callbacks
 * called twice, throwing methods and listeners, slow consumers, timeouts, heartbeats, a second hub;
 * each case gets a clear coded error and the hub stays up. Bytes and handshakes: bad-input.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { createPeers } from '../src/create-peers.js';
import { RawClient, MessageType, until, waitFor } from './helpers.js';
import {
  client,
  cleanup,
  errors,
  handshaken,
  hub,
  hubServes,
  path,
  silent,
  tmp,
  useBadInputHub,
} from './bad-input-hub.js';

useBadInputHub();

describe('the hub under bad calls', () => {
  it('unknown module and unknown method: coded errors naming them', async () => {
    const c = await client('caller');
    await expect(c('supervision').require('nope')).rejects.toMatchObject({
      code: Code.UNKNOWN_MODULE,
      message: 'peer "supervision" has no module "nope"',
    });
    await expect(c('supervision').call('echo', 'shout', [])).rejects.toMatchObject({
      code: Code.UNKNOWN_METHOD,
      message: 'module "echo" on "supervision" has no method "shout"',
    });
    await expect(c('supervision').call('echo', 'constructor', [])).rejects.toMatchObject({ code: Code.UNKNOWN_METHOD });
    await expect(c('supervision').call('echo', '__proto__', [])).rejects.toMatchObject({ code: Code.UNKNOWN_METHOD });
  });

  it('a share filter is checked on every call, not only on require', async () => {
    let open = true;
    hub.share(
      'adminTools',
      { wipe: (cb: (e: null, r: string) => void) => cb(null, 'wiped') },
      (caller) => open && caller.startsWith('admin_'),
    );
    const admin = await client('admin_ops');
    const other = await client('viewer');
    await expect(other('supervision').require('adminTools')).rejects.toMatchObject({ code: Code.FORBIDDEN });
    await expect(other('supervision').call('adminTools', 'wipe')).rejects.toMatchObject({ code: Code.FORBIDDEN });
    const tools = await admin('supervision').require('adminTools');
    expect(await (tools.wipe as () => Promise<string>)()).toBe('wiped');
    open = false;
    await expect((tools.wipe as () => Promise<string>)()).rejects.toMatchObject({
      code: Code.FORBIDDEN,
      message: 'peer "admin_ops" may not use method "wipe" of module "adminTools" on "supervision"',
    });
  });

  it('a remote callback called twice: the caller gets the first answer once, the owner reports CALLBACK_TWICE', async () => {
    hub.share('twice', {
      go(cb: (e: null, r: number) => void) {
        cb(null, 1);
        cb(null, 2);
      },
    });
    const c = await client('caller2');
    const answers: unknown[] = [];
    const mod = await c('supervision').require('twice');
    const reported = waitFor<[string, Error & { code?: string }]>(
      hub,
      'error',
      (_p, e) => e.code === Code.CALLBACK_TWICE,
    );
    await new Promise<void>((resolve) =>
      (mod.go as (cb: (e: null, r: number) => void) => void)((_e, r) => {
        answers.push(r);
        resolve();
      }),
    );
    const [peer, error] = await reported;
    expect(peer).toBe('caller2');
    expect(error.message).toContain('twice.go on "supervision" called its callback more than once');
    // another round trip proves no second answer is on its way
    await (mod.go as () => Promise<number>)();
    expect(answers).toEqual([1]);
  });

  it('a shared method that throws: the caller gets the error, the hub stays up', async () => {
    hub.share('thrower', {
      boom() {
        throw Object.assign(new Error('kaboom'), { code: 'E_BOOM' });
      },
    });
    const c = await client('caller3');
    await expect(c('supervision').call('thrower', 'boom')).rejects.toMatchObject({ message: 'kaboom', code: 'E_BOOM' });
    await hubServes();
  });

  it('a listener that throws: LISTENER_FAILED reported, other listeners still called', async () => {
    const c = await client('listener');
    const cErrors: Array<Error & { code?: string }> = [];
    c.on('error', (_p: string, e: Error) => cErrors.push(e));
    const got: unknown[] = [];
    const sup = c('supervision');
    sup.on('tick', () => {
      throw new Error('listener bug');
    });
    sup.on('tick', (n: number) => got.push(n));
    await until(() => hub.peerEvents().listenerCount('tick') > 0, 5000, 'interest at hub');
    hub.peerEvents().emit('tick', 1);
    hub.peerEvents().emit('tick', 2);
    await until(() => got.length === 2, 5000, 'two ticks');
    expect(got).toEqual([1, 2]);
    expect(cErrors.map((e) => e.code)).toEqual([Code.LISTENER_FAILED, Code.LISTENER_FAILED]);
    expect(cErrors[0]!.message).toContain('listener bug');
  });

  it('a peer that floods calls and never reads: dropped as SLOW_CONSUMER, memory bounded', async () => {
    const raw = await handshaken('flooder');
    raw.socket.pause();
    const payload = 'x'.repeat(1000);
    const reported = waitFor<[string, Error & { code?: string }]>(
      hub,
      'error',
      (_p, e) => e.code === Code.SLOW_CONSUMER,
      15000,
    );
    let id = 0;
    const flood = (): void => {
      while (!raw.socket.destroyed && raw.socket.writableLength < 1024 * 1024)
        raw.send(MessageType.CALL, 'supervision', '', 'echo', [++id, 'say', [payload]]);
      if (!raw.socket.destroyed && !errors.some((e) => e.error.code === Code.SLOW_CONSUMER)) setImmediate(flood);
    };
    flood();
    const [peer, error] = await reported;
    expect(peer).toBe('flooder');
    expect(error.message).toContain('maxBufferedBytes 262144');
    await until(() => !hub.connectedPeers().includes('flooder'), 5000, 'flooder dropped');
    await hubServes();
  });

  it('a listener that never reads a chatty event: dropped as SLOW_CONSUMER, the others keep theirs', async () => {
    const good = await client('good_listener');
    const got: number[] = [];
    good('supervision').on('chatty', (n: number) => got.push(n));
    const raw = await handshaken('stuck_listener');
    raw.send(MessageType.SUB, 'supervision', '', '|chatty');
    await until(
      () => hub.peerEvents().listenerCount('chatty') === 1 && raw.received.some((m) => m.type === MessageType.SUB_ACK),
      5000,
      'subscriptions',
    );
    raw.socket.pause();
    const big = Buffer.alloc(16 * 1024, 1);
    const reported = waitFor<[string, Error & { code?: string }]>(
      hub,
      'error',
      (_p, e) => e.code === Code.SLOW_CONSUMER,
      15000,
    );
    let n = 0;
    // Paced by the good listener: it always keeps up, only the stuck one falls behind.
    const pump = (): void => {
      if (errors.some((e) => e.error.code === Code.SLOW_CONSUMER)) return;
      for (let i = 0; i < 4; i++) hub.peerEvents().emit('chatty', ++n, big);
      const target = n;
      void until(() => got.includes(target), 10000, 'good listener caught up').then(pump);
    };
    pump();
    const [peer] = await reported;
    expect(peer).toBe('stuck_listener');
    const last = n;
    await until(() => got.includes(last), 10000, 'good listener got everything');
  });

  it('non-serializable arguments fail at the caller with a clear error, nothing is sent', async () => {
    const c = await client('caller4');
    const echo = await c('supervision').require('echo');
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    await expect((echo.say as (x: unknown) => Promise<unknown>)(cyclic)).rejects.toMatchObject({
      code: Code.NOT_SERIALIZABLE,
      message: 'echo.say arguments[0].me: a cyclic reference cannot be sent',
    });
    await expect((echo.say as (x: unknown) => Promise<unknown>)({ f: () => 1 })).rejects.toMatchObject({
      code: Code.NOT_SERIALIZABLE,
      message: expect.stringContaining('echo.say arguments[0].f: a function cannot be sent'),
    });
    expect(await (echo.say as (x: unknown) => Promise<unknown>)('ok')).toBe('ok');
  });

  it('a method that never answers: ETIMEDOUT after the per-call timeout, exactly once', async () => {
    const answers: Array<(e: null, v: string) => void> = [];
    hub.share('slow', {
      wait(cb: (e: null, v: string) => void) {
        answers.push(cb);
      },
    });
    const c = await client('caller5');
    const slow = await c('supervision').require('slow');
    const settled: unknown[] = [];
    await new Promise<void>((resolve) =>
      (slow.wait as { timeout(ms: number): (cb: (e: Error | null) => void) => void }).timeout(100)((e) => {
        settled.push(e);
        resolve();
      }),
    );
    expect(settled[0]).toMatchObject({
      code: Code.TIMEOUT,
      message: 'slow.wait on peer "supervision" got no answer within 100 ms',
    });
    answers[0]!(null, 'late');
    await hubServes();
    expect(settled).toHaveLength(1);
  });

  it('a silent link is closed by the heartbeat with HEARTBEAT_TIMEOUT', async () => {
    const hb = createPeers('hb_hub', { logger: silent, heartbeatMs: 50 });
    cleanup.push(() => hb.close());
    const hbPath = tmp.sock('hb');
    await hb.listen(hbPath);
    const raw = await RawClient.connect(hbPath);
    cleanup.push(() => raw.destroy());
    const reported = waitFor<[string, Error & { code?: string }]>(
      hb,
      'error',
      (_p, e) => e.code === Code.HEARTBEAT_TIMEOUT,
    );
    raw.hello('zombie');
    const [peer, error] = await reported;
    expect(peer).toBe('zombie');
    expect(error.message).toContain('heartbeat 50 ms');
    await raw.whenClosed();
  });

  it('a second hub on a live socket path is refused; a stale socket file is replaced', async () => {
    const other = createPeers('supervision2', { logger: silent });
    await expect(other.listen(path)).rejects.toMatchObject({ code: Code.ADDRESS_IN_USE });
    await hub.close();
    // a crashed hub leaves its socket file behind: simulate with a bound-then-abandoned socket
    const net = await import('node:net');
    const stalePath = tmp.sock('stale');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(stalePath, r));
    (server as unknown as { _handle: { close(): void } | null })._handle?.close(); // close the fd, keep the file
    const restarted = createPeers('supervision3', { logger: silent });
    cleanup.push(() => restarted.close());
    const listener = await restarted.listen(stalePath);
    expect(listener.address).toBe(`unix:${stalePath}`);
  });
});

describe('events follow interest', () => {
  it('an event crosses a link only while someone behind it listens', async () => {
    const c = await client('watcher');
    const emitter = new EventEmitter();
    hub.share('gateways', emitter);
    const gateways = await c('supervision').require('gateways');
    expect(emitter.listenerCount('newValue 1')).toBe(0);
    const seen: unknown[] = [];
    const onValue = (...args: unknown[]): void => void seen.push(args);
    gateways.on('newValue 1', onValue);
    await until(() => emitter.listenerCount('newValue 1') === 1, 5000, 'interest');
    emitter.emit('newValue 1', '1', 5);
    await until(() => seen.length === 1, 5000, 'event');
    gateways.removeListener('newValue 1', onValue);
    await until(() => emitter.listenerCount('newValue 1') === 0, 5000, 'interest withdrawn');
    expect(c.listenerCount()).toBe(0);
  });
});

describe('user callbacks that throw', () => {
  it('a require callback that throws is reported as LISTENER_FAILED, not an unhandled rejection', async () => {
    const c = await client('thrower_cb');
    const reported = waitFor<[string, Error & { code?: string }]>(
      c,
      'error',
      (_p, e) => e.code === Code.LISTENER_FAILED,
    );
    c('supervision').require('echo', () => {
      throw new Error('bug in user code');
    });
    const [peer, error] = await reported;
    expect(peer).toBe('supervision');
    expect(error.message).toBe('the callback of require("echo") threw: bug in user code');
  });
});
