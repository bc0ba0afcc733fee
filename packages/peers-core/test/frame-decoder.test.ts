import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code, PeersError } from '../src/errors.js';
import { FrameDecoder, frameHeader } from '../src/codec/frame-decoder.js';

function stream(payloads: Buffer[]): Buffer {
  return Buffer.concat(payloads.flatMap((p) => [frameHeader(p.length), p]));
}

const payloads = [
  Buffer.from('hello'),
  Buffer.alloc(0),
  Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8]),
  Buffer.alloc(300, 7),
];

describe('FrameDecoder', () => {
  it('yields the same frames however the stream is split in two, at every offset', () => {
    const bytes = stream(payloads);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      expect(frames.map((f) => f.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('yields the same frames fed one byte at a time', () => {
    const bytes = stream(payloads);
    const decoder = new FrameDecoder();
    const frames: Buffer[] = [];
    for (const byte of bytes) frames.push(...decoder.push(Buffer.from([byte])));
    expect(frames.map((f) => f.toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
  });

  it('property: any split of any stream of frames decodes to the frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, cuts) => {
          const bytes = stream(frames.map((f) => Buffer.from(f)));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const decoder = new FrameDecoder();
          const out: Buffer[] = [];
          let last = 0;
          for (const p of [...points, bytes.length]) {
            out.push(...decoder.push(bytes.subarray(last, p)));
            last = p;
          }
          expect(out.map((f) => Buffer.from(f).toString('hex'))).toEqual(
            frames.map((f) => Buffer.from(f).toString('hex')),
          );
        },
      ),
    );
  });

  it('refuses a frame over the limit with FRAME_TOO_LARGE, before buffering it', () => {
    const decoder = new FrameDecoder(1024);
    const error = (() => {
      try {
        decoder.push(frameHeader(1025));
      } catch (e) {
        return e as PeersError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PeersError);
    expect(error?.code).toBe(Code.FRAME_TOO_LARGE);
    expect(error?.message).toContain('1025 bytes');
    expect(error?.message).toContain('1024');
    expect(() => decoder.push(Buffer.from('x'))).toThrow(/over the limit/);
  });

  it('detects a too-large length even when the header arrives split', () => {
    const decoder = new FrameDecoder(10);
    const header = frameHeader(11);
    expect(decoder.push(header.subarray(0, 2))).toEqual([]);
    expect(() => decoder.push(header.subarray(2))).toThrow(expect.objectContaining({ code: Code.FRAME_TOO_LARGE }));
  });

  it('reports a stream that ends inside a frame as TRUNCATED_FRAME', () => {
    const decoder = new FrameDecoder();
    decoder.push(Buffer.concat([frameHeader(10), Buffer.from('abc')]));
    expect(() => decoder.end()).toThrow(
      expect.objectContaining({ code: Code.TRUNCATED_FRAME, message: expect.stringContaining('7 bytes') }),
    );
  });

  it('property: random garbage only ever throws coded PeersErrors', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const decoder = new FrameDecoder(4096);
        for (const chunk of chunks) {
          try {
            decoder.push(chunk);
          } catch (error) {
            expect(error).toBeInstanceOf(PeersError);
            expect([Code.FRAME_TOO_LARGE]).toContain((error as PeersError).code);
            return;
          }
        }
      }),
    );
  });
});
