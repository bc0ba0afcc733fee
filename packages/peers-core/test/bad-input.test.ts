/**
 * Bad input from the outside, bytes and handshakes: each case gets a clear coded error and the hub
 * stays up and keeps serving well-behaved peers. Real UNIX sockets; raw clients send what a real
 * peer never would. Calls, callbacks and slow peers: bad-input-calls.test.ts.
 */
import { statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { createPeers } from '../src/create-peers.js';
import { HEADER_BYTES, frameHeader } from '../src/codec/frame-decoder.js';
import { RawClient, MessageType, until, waitFor } from './helpers.js';
import { client, cleanup, errors, handshaken, hub, hubServes, path, silent, useBadInputHub } from './bad-input-hub.js';

useBadInputHub();

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
});
