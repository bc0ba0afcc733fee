/**
 * Property tests: any frame shape a site may configure (fixed bytes, header fields of any size and
 * byte order, a length counting any range around the payload with an adjustment, any checksum over
 * any range before it, end bytes, hex elements) goes through the schema, then every frame built
 * from it parses back to the same fields and payload: whole, and through the stream decoder split
 * anywhere when the framing cuts frames itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_TYPES } from '../src/checksum.js';
import { indexOfBytes } from '../src/bytes.js';
import { layoutOf } from '../src/frame-stream.js';
import { framingSchema } from '../src/framing-schema.js';
import { endRule, logicalSize, wireSize, type Layout } from '../src/layout.js';
import { buildFrame, parseFrame } from '../src/layout-codec.js';
import { LayoutDecoder } from '../src/layout-decoder.js';

const endian = fc.constantFrom('big', 'little');
const size = fc.constantFrom(1, 2, 4);
const field = fc.record({ size, endian, hex: fc.option(fc.boolean(), { nil: undefined }) });

/** A configured shape: the element list as site.yaml would hold it, and the names of its header fields. */
const shape = fc
  .record({
    start: fc.uint8Array({ minLength: 1, maxLength: 3 }),
    before: fc.array(field, { maxLength: 2 }),
    length: fc.option(
      fc.record({ size, endian, adjust: fc.integer({ min: -4, max: 0 }), from: fc.nat(), to: fc.nat() }),
      { nil: undefined },
    ),
    after: fc.array(field, { maxLength: 2 }),
    trailer: fc.array(field, { maxLength: 1 }),
    checksum: fc.option(
      fc.record({
        type: fc.constantFrom(...CHECKSUM_TYPES),
        endian: fc.option(endian, { nil: undefined }),
        a: fc.nat(),
        b: fc.nat(),
        afterEnd: fc.boolean(),
      }),
      { nil: undefined },
    ),
    end: fc.option(fc.uint8Array({ minLength: 1, maxLength: 2 }), { nil: undefined }),
    hex: fc.boolean(),
  })
  .map((s) => {
    let n = 0;
    const fieldOf = (f: { size: number; endian: string; hex: boolean | undefined }) => ({
      field: `f${n++}`,
      size: f.size,
      endian: f.endian,
      ...(f.hex === undefined ? {} : { hex: f.hex }),
    });
    const before = s.before.map(fieldOf);
    const after = s.after.map(fieldOf);
    const trailer = s.trailer.map(fieldOf);
    const elements: unknown[] = [{ fixed: Buffer.from(s.start).toString('hex') }, ...before];
    // The length counts a range around the payload: from a field after it (or the payload), to the payload or a trailer field.
    const fromChoices = [...after.map((f) => f.field), 'payload'];
    const toChoices = ['payload', ...trailer.map((f) => f.field)];
    if (s.length) {
      elements.push({
        length: {
          size: s.length.size,
          endian: s.length.endian,
          adjust: s.length.adjust,
          counts: {
            from: fromChoices[s.length.from % fromChoices.length]!,
            to: toChoices[s.length.to % toChoices.length]!,
          },
        },
      });
    }
    elements.push(...after, 'payload', ...trailer);
    const end = s.end ? [{ fixed: Buffer.from(s.end).toString('hex'), name: 'end' }] : [];
    if (s.checksum) {
      if (s.checksum.afterEnd) elements.push(...end);
      const rangeNames = elements.map((e, i) =>
        i === 0
          ? 'start'
          : e === 'payload'
            ? 'payload'
            : 'field' in (e as object)
              ? (e as { field: string }).field
              : 'length' in (e as object)
                ? 'length'
                : 'end',
      );
      const a = s.checksum.a % rangeNames.length;
      const b = s.checksum.b % rangeNames.length;
      elements.push({
        checksum: {
          type: s.checksum.type,
          ...(s.checksum.endian ? { endian: s.checksum.endian } : {}),
          from: rangeNames[Math.min(a, b)],
          to: rangeNames[Math.max(a, b)],
        },
      });
      if (!s.checksum.afterEnd) elements.push(...end);
    } else elements.push(...end);
    return { elements, fields: [...before, ...after, ...trailer], hex: s.hex };
  });

/** Values for the header fields of a shape, and a payload. */
const frameInput = (fields: Array<{ field: string; size: number }>) =>
  fc.record({
    values: fc.tuple(...fields.map((f) => fc.integer({ min: 0, max: 2 ** (8 * f.size) - 1 }))),
    payload: fc.uint8Array({ maxLength: 40 }),
  });

const shapeAndFrames = shape.chain((s) =>
  fc.tuple(fc.constant(s), fc.array(frameInput(s.fields), { minLength: 1, maxLength: 3 })),
);

/** Whether the stream decoder can cut this frame: with a terminator rule, no early terminator in the frame. */
function cuttable(layout: Layout, frame: Buffer): boolean {
  const rule = endRule(layout);
  if ('problem' in rule || layout.elements[0]?.kind !== 'fixed') return false;
  if (rule.kind !== 'terminator') return true;
  const payloadAt = layout.elements.findIndex((e) => e.kind === 'payload');
  const size = (from: number, to: number) =>
    layout.elements.slice(from, to).reduce((sum, e) => sum + wireSize(e, logicalSize(e) ?? 0), 0);
  const head = size(0, payloadAt);
  const between = size(payloadAt + 1, rule.at);
  const terminator = layout.elements[rule.at]!;
  if (terminator.kind !== 'fixed') return false;
  const real = frame.length - size(rule.at, layout.elements.length);
  return indexOfBytes(frame, terminator.bytes, head + between) === real;
}

describe('any configured frame shape', () => {
  it('builds frames that parse back to the same fields and payload, whole and from a stream split anywhere', () => {
    fc.assert(
      fc.property(shapeAndFrames, fc.nat(), ([s, inputs], split) => {
        const parsed = framingSchema.safeParse({
          type: 'idle',
          idleMs: 10,
          maxLength: 4096,
          hex: s.hex,
          layout: s.elements,
        });
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const layout = layoutOf(parsed.data!)!;
        const frames = inputs.map(({ values, payload }) => {
          const fields = Object.fromEntries(s.fields.map((f, i) => [f.field, values[i]!]));
          return { fields, payload: Buffer.from(payload), bytes: buildFrame(layout, fields, payload) };
        });
        for (const frame of frames)
          expect(parseFrame(layout, frame.bytes)).toEqual({ fields: frame.fields, payload: frame.payload });

        const stream = framingSchema.safeParse({ type: 'frame', maxLength: 4096, hex: s.hex, layout: s.elements });
        if (!stream.success || !frames.every((f) => cuttable(layout, f.bytes))) return;
        const all = Buffer.concat(frames.map((f) => f.bytes));
        const at = split % (all.length + 1);
        const decoder = new LayoutDecoder(layoutOf(stream.data)!);
        const events = [...decoder.push(all.subarray(0, at)), ...decoder.push(all.subarray(at))];
        expect(events).toEqual(frames.map((f) => ({ frame: { fields: f.fields, payload: f.payload } })));
      }),
      { numRuns: 400 },
    );
  });
});
