/** Framings built on serialport's parsers (and the frame decoder), with their buffers capped. */
import { describe, expect, it } from 'vitest';
import { SerialCode } from '../src/errors.js';
import type { FrameFault } from '../src/frame-codec.js';
import { createFrameStream, frameOutgoing } from '../src/frame-stream.js';
import { framingSchema } from '../src/schemas.js';

function collect(framing: unknown, encoding: BufferEncoding = 'utf8') {
  const frames: string[] = [];
  const faults: FrameFault[] = [];
  const stream = createFrameStream(framingSchema.parse(framing), encoding, {
    frame: (f) => frames.push(f.bytes.toString('latin1')),
    fault: (f) => faults.push(f),
  });
  return { stream, frames, faults };
}

/** Parsers emit from their transform; give the stream machinery its turn. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('frame streams', () => {
  it('delimiter: text with escapes, split anywhere, empty frames skipped', async () => {
    const stream = 'T=1\r\nT=2\r\n\r\nT=3\r\n';
    for (let i = 0; i <= stream.length; i++) {
      const { stream: s, frames } = collect({ type: 'delimiter', delimiter: '\\r\\n' });
      s.write(Buffer.from(stream.slice(0, i)));
      s.write(Buffer.from(stream.slice(i)));
      await settle();
      expect(frames).toEqual(['T=1', 'T=2', 'T=3']);
      s.close();
    }
  });

  it('delimiter: a line longer than maxLength is dropped with SERIAL_FRAME_TOO_LONG, and the next line works', async () => {
    const { stream, frames, faults } = collect({ type: 'delimiter', maxLength: 16 });
    stream.write(Buffer.alloc(20, 0x41));
    stream.write(Buffer.from('AAAA\nok\n'));
    await settle();
    expect(faults.map((f) => f.code)).toEqual([SerialCode.FRAME_TOO_LONG]);
    expect(frames).toEqual(['AAAA', 'ok']); // the tail of the long line ends at its delimiter
    stream.close();
  });

  it('fixed length', async () => {
    const { stream, frames } = collect({ type: 'length', length: 3 });
    stream.write(Buffer.from('abcd'));
    stream.write(Buffer.from('efg'));
    await settle();
    expect(frames).toEqual(['abc', 'def']);
    stream.close();
  });

  it('inter-byte timeout: a frame ends after idleMs of silence, or at maxLength', async () => {
    const { stream, frames } = collect({ type: 'idle', idleMs: 20, maxLength: 4 });
    stream.write(Buffer.from('ab'));
    stream.write(Buffer.from('c'));
    await new Promise<void>((resolve) => {
      const check = (): void => void (frames.length > 0 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(frames).toEqual(['abc']);
    stream.write(Buffer.from('123456'));
    await settle();
    expect(frames).toEqual(['abc', '1234']);
    stream.close();
  });

  it('regex: text split where the regex matches, capped at maxLength', async () => {
    const { stream, frames, faults } = collect({ type: 'regex', regex: '[\\r\\n]+', maxLength: 8 });
    stream.write(Buffer.from('W:12\rW:13\n\nW:1'));
    await settle();
    expect(frames).toEqual(['W:12', 'W:13']);
    stream.write(Buffer.from('23456789'));
    await settle();
    expect(faults.map((f) => f.code)).toEqual([SerialCode.FRAME_TOO_LONG]);
    stream.close();
  });

  it('frame: the decoder, with faults', () => {
    const framing = framingSchema.parse({
      type: 'frame',
      start: '02',
      end: '03',
      length: { size: 1 },
      checksum: { type: 'xor8' },
    });
    const { stream, frames, faults } = collect(framing);
    const good = frameOutgoing(framing, Buffer.from('hi'));
    expect(good.toString('hex')).toBe('02026869' + (0x02 ^ 0x68 ^ 0x69).toString(16).padStart(2, '0') + '03');
    stream.write(Buffer.concat([Buffer.from('zz'), good]));
    expect(frames).toEqual(['hi']);
    expect(faults.map((f) => f.code)).toEqual([SerialCode.GARBAGE]);
  });

  it('outgoing payloads are framed only with a layout; a delimiter framing then adds its delimiter', () => {
    expect(frameOutgoing(framingSchema.parse({ type: 'delimiter' }), Buffer.from('X\n')).toString()).toBe('X\n');
    const lrc = framingSchema.parse({
      type: 'delimiter',
      delimiter: '\\r\\n',
      hex: true,
      layout: [
        { fixed: '3a' },
        { field: 'address', value: 1 },
        { field: 'function' },
        'payload',
        { checksum: { type: 'lrc' } },
      ],
    });
    expect(frameOutgoing(lrc, Buffer.from([0, 0, 0, 1]), { function: 3 }).toString()).toBe(':010300000001FB\r\n');
  });

  it('a layout checks the frames of any framing: a flipped data bit (1234 -> 1246) is a bad checksum, never a frame', async () => {
    const framing = { type: 'length', length: 4, layout: ['payload', { checksum: { type: 'crc16-modbus' } }] };
    const good = frameOutgoing(framingSchema.parse(framing), Buffer.from('04d2', 'hex'));
    const flipped = Buffer.from(good);
    flipped[1]! ^= 0x0c;
    const { stream, frames, faults } = collect(framing);
    stream.write(Buffer.concat([flipped, good]));
    await settle();
    expect(faults.map((f) => f.code)).toEqual([SerialCode.BAD_CHECKSUM]);
    expect(frames).toEqual([Buffer.from('04d2', 'hex').toString('latin1')]);
    stream.close();
  });
});
