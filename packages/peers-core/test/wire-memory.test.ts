/**
 * What the wire layer keeps between frames: the header cache of the sender and the last parsed
 * header of the receiver. A small `Buffer.allocUnsafe` is a view of Node's shared 8 KiB pool, so a
 * kept view keeps its whole pool alive; a Modbus driver reporting 1,000 registers grew by 8 KiB per
 * cached `newValue <key>` header (the soak of issue 20). Counted with a real garbage collection
 * and `process.memoryUsage().arrayBuffers`, not timed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from '../src/codec/frame-decoder.js';
import { MessageType, readEnvelope, writeHeader } from '../src/codec/wire.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes of ArrayBuffers alive after a full collection. */
function liveArrayBuffers(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

const MIB = 2 ** 20;

describe('wire memory', () => {
  it('caches 2,000 event headers without keeping the buffer pools they were made in', () => {
    const before = liveArrayBuffers();
    for (let i = 0; i < 2_000; i++) {
      // A driver's frames and values are allocated between two new headers: each header is made
      // in a different pool.
      writeHeader(MessageType.EVENT, 8, '', 'driver_modbus_1', `newValue plc/r${i}`, 12);
      Buffer.allocUnsafe(3_000);
    }
    const grown = liveArrayBuffers() - before;
    // 2,000 headers of about 40 bytes: under 0.1 MiB in slabs; one pool each would be about 8 MiB.
    expect(grown).toBeLessThan(MIB);
    // The cache still answers: the same header again is the same bytes.
    const again = writeHeader(MessageType.EVENT, 3, '', 'driver_modbus_1', 'newValue plc/r1999', 12);
    expect(readEnvelope(Buffer.concat([again.subarray(HEADER_BYTES), Buffer.alloc(12)]))).toMatchObject({
      ttl: 3,
      from: 'driver_modbus_1',
      topic: 'newValue plc/r1999',
    });
  });

  it('remembers the last parsed header as a copy, not as a view of the frame', () => {
    const frame = (topic: string): Buffer => {
      const prefix = writeHeader(MessageType.EVENT, 8, '', 'a', topic, 0);
      // A received chunk is much larger than one frame: a view of it would keep all of it.
      const chunk = Buffer.alloc(64 * 1024);
      prefix.copy(chunk, 0, HEADER_BYTES);
      return chunk.subarray(0, prefix.length - HEADER_BYTES);
    };
    const before = liveArrayBuffers();
    for (let i = 0; i < 50; i++) readEnvelope(frame(`t${i}`));
    expect(liveArrayBuffers() - before).toBeLessThan(64 * 1024);
    // The remembered strings are used only for the same bytes: changing the frame afterwards
    // changes nothing, and a different header after it is parsed again.
    const first = frame('same topic');
    expect(readEnvelope(first).topic).toBe('same topic');
    first.fill(0x78, 6); // the frame's memory reused by the next read
    expect(readEnvelope(frame('same topic')).topic).toBe('same topic');
    expect(readEnvelope(frame('same topiX')).topic).toBe('same topiX');
    expect(readEnvelope(frame('same topic')).topic).toBe('same topic');
  });
});
