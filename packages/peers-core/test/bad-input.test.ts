/**
 * Bad input from the outside: each case gets a clear coded error and the hub stays up and keeps
 * serving well-behaved peers. Real UNIX sockets; raw clients send what a real peer never would.
 */
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { createPeers, type Peers } from '../src/create-peers.js';
import { HEADER_BYTES, frameHeader } from '../src/codec/frame-decoder.js';
import { RawClient, MessageType, tempDir, until, waitFor } from './helpers.js';

const silent = { debug() {}, warn() {}, error() {} };

let tmp: ReturnType<typeof tempDir>;
let hub: Peers;
let path: string;
const errors: Array<{ peer: string; error: Error & { code?: string } }> = [];
const cleanup: Array<() => unknown> = [];

async function client(name: string, options = {}): Promise<Peers> {
  const peers = createPeers(name, { logger: silent, ...options });
  cleanup.push(() => peers.close());
  peers.connect(path);
  await waitFor(peers, 'connect supervision');
  return peers;
}

async function handshaken(name: string): Promise<RawClient> {
  const raw = await RawClient.connect(path);
  cleanup.push(() => raw.destroy());
  raw.hello(name);
  const welcome = await raw.next((m) => m.type === MessageType.WELCOME);
  expect(welcome).toBeDefined();
  await until(() => hub.connectedPeers().includes(name), 5000, `${name} joined`);
  return raw;
}

/** The hub still answers a well-behaved peer. */
async function hubServes(): Promise<void> {
  const probe = await client(`probe_${Math.random().toString(36).slice(2, 8)}`);
  const echo = await probe('supervision').require('echo');
  expect(await (echo.say as (x: string) => Promise<string>)('still up')).toBe('still up');
}

beforeEach(async () => {
  tmp = tempDir();
  path = tmp.sock();
  errors.length = 0;
  hub = createPeers('supervision', {
    logger: silent,
    maxFrameBytes: 64 * 1024,
    maxBufferedBytes: 256 * 1024,
    heartbeatMs: 0,
  });
  hub.on('error', (peer: string, error: Error) => errors.push({ peer, error }));
  hub.share('echo', {
    say(x: unknown, cb: (e: Error | null, r?: unknown) => void) {
      cb(null, x);
    },
  });
  await hub.listen(path);
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await hub.close();
  tmp.remove();
});

describe('the hub under bad input', () => {
  it('creates its UNIX socket with mode 0600', () => {
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('garbage bytes: the link is closed with a coded error, the hub stays up', async () => {
    const raw = await RawClient.connect(path);
    cleanup.push(() => raw.destroy());
    raw.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await raw.whenClosed();
    expect(errors.map((e) => e.error.code)).toContain(Code.FRAME_TOO_LARGE);
    await hubServes();
  });

  it('property: random garbage, before or after the handshake, never escapes the link', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 256 }), { minLength: 1, maxLength: 6 }),
        async (afterHello, chunks) => {
          const raw = await RawClient.connect(path);
          try {
            if (afterHello) {
              raw.hello(`fuzz_${Math.random().toString(36).slice(2, 10)}`);
              await raw.next((m) => m.type === MessageType.WELCOME);
            }
            for (const chunk of chunks) raw.socket.write(chunk);
            raw.socket.end();
            await raw.whenClosed();
          } finally {
            raw.destroy();
          }
          for (const { error } of errors)
            expect(error.code ?? (error as NodeJS.ErrnoException).code).toMatch(/^(PEERS_|PEER_|E[A-Z]+$)/);
        },
      ),
      { numRuns: 40 },
    );
    await hubServes();
  });

  it('a hello that is not a hello: HANDSHAKE_FAILED', async () => {
    const raw = await RawClient.connect(path);
    cleanup.push(() => raw.destroy());
    raw.send(MessageType.CALL, 'supervision', '', 'echo', [1, 'say', ['x']]);
    const reject = await raw.next((m) => m.type === MessageType.REJECT);
    expect(reject?.decoded).toMatchObject({ code: Code.HANDSHAKE_FAILED });
    await raw.whenClosed();
    await hubServes();
  });

  it('an oversized frame after the handshake: notice FRAME_TOO_LARGE, link closed', async () => {
    const raw = await handshaken('big_sender');
    raw.socket.write(frameHeader(10 * 1024 * 1024));
    const notice = await raw.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({
      code: Code.FRAME_TOO_LARGE,
      message: expect.stringContaining('10485760 bytes'),
    });
    await raw.whenClosed();
    await until(() => !hub.connectedPeers().includes('big_sender'), 5000, 'big_sender gone');
    await hubServes();
  });

  it('a truncated frame at end of stream: TRUNCATED_FRAME reported', async () => {
    const raw = await handshaken('truncator');
    raw.socket.end(Buffer.concat([frameHeader(100), Buffer.from('only part')]));
    await until(() => errors.some((e) => e.error.code === Code.TRUNCATED_FRAME), 5000, 'TRUNCATED_FRAME');
    expect(errors.find((e) => e.error.code === Code.TRUNCATED_FRAME)?.peer).toBe('truncator');
    await hubServes();
  });

  it('a malformed body in a well-framed message: notice BAD_FRAME, the link stays usable', async () => {
    const raw = await handshaken('sloppy');
    const body = Buffer.from([0xdc, 0x00]); // msgpack array16 header with no length bytes
    raw.socket.write(
      Buffer.concat([
        frameHeader(6 + 'supervision'.length + 4 + body.length).subarray(0, HEADER_BYTES),
        Buffer.from([MessageType.CALL, 8, 11]),
        Buffer.from('supervision'),
        Buffer.from([0, 0, 4]),
        Buffer.from('echo'),
        body,
      ]),
    );
    const notice = await raw.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({ code: Code.BAD_FRAME });
    raw.send(MessageType.CALL, 'supervision', '', 'echo', [7, 'say', ['fine']]);
    const result = await raw.next((m) => m.type === MessageType.RESULT);
    expect(result?.decoded).toEqual([7, null, ['fine']]);
  });

  it('a message with a wrong shape: notice BAD_FRAME naming the message', async () => {
    const raw = await handshaken('shapeless');
    raw.send(MessageType.CALL, 'supervision', '', 'echo', { not: 'a tuple' });
    const notice = await raw.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({
      code: Code.BAD_FRAME,
      message: expect.stringContaining('expected [id, method, args]'),
    });
  });

  it('a hello with a bad protocol version: VERSION_MISMATCH', async () => {
    const raw = await RawClient.connect(path);
    cleanup.push(() => raw.destroy());
    raw.hello('future', 99);
    const reject = await raw.next((m) => m.type === MessageType.REJECT);
    expect(reject?.decoded).toMatchObject({ code: Code.VERSION_MISMATCH, message: expect.stringContaining('99') });
    await raw.whenClosed();
  });

  it('a hello with an invalid name: INVALID_NAME', async () => {
    const raw = await RawClient.connect(path);
    cleanup.push(() => raw.destroy());
    raw.hello('bad name!');
    const reject = await raw.next((m) => m.type === MessageType.REJECT);
    expect(reject?.decoded).toMatchObject({ code: Code.INVALID_NAME, message: expect.stringContaining('"bad name!"') });
  });

  it('a hello with a taken name: the newcomer gets NAME_TAKEN, the first keeps working', async () => {
    const first = await client('driver_virtual_1');
    const second = createPeers('driver_virtual_1', { logger: silent, backoff: { initialMs: 50 } });
    cleanup.push(() => second.close());
    second.connect(path);
    const [, error] = await waitFor<[string, Error & { code?: string }]>(second, 'error');
    expect(error.code).toBe(Code.NAME_TAKEN);
    expect(error.message).toContain('"driver_virtual_1" is already taken');
    second.disconnect();
    const echo = await first('supervision').require('echo');
    expect(await (echo.say as (x: number) => Promise<number>)(1)).toBe(1);
  });

  it('a sender name that is not behind the link: SPOOFED_SENDER, nothing delivered', async () => {
    const victim = await client('victim');
    let called = false;
    victim.share('secret', {
      take(cb: (e: null) => void) {
        called = true;
        cb(null);
      },
    });
    const raw = await handshaken('mallory');
    raw.send(MessageType.CALL, 'victim', 'admin_root', 'secret', [1, 'take', []]);
    const notice = await raw.next((m) => m.type === MessageType.NOTICE);
    expect(notice?.decoded).toMatchObject({
      code: Code.SPOOFED_SENDER,
      message: expect.stringContaining('"admin_root"'),
    });
    expect(called).toBe(false);
  });

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
