/**
 * Frame layouts: a frame described element by element (fixed bytes, header fields, a length, the
 * payload, a checksum), compiled from configuration into plain data the codec walks. Pure. The
 * same layout parses replies and builds requests. Checks that need the whole layout (names that
 * exist, a checksum range before the checksum, a length that can be read before what it counts)
 * are done here and reported with the index of the element at fault.
 */
import type { Endian } from './binary-types.js';
import { CHECKSUM_ENDIAN, CHECKSUM_SIZE, type ChecksumType } from './checksum.js';

/** Size of a header field or length field, bytes. */
export type FieldSize = 1 | 2 | 4;

/** A range of elements, by index, both ends included. */
export interface ElementRange {
  from: number;
  to: number;
}

/** One element of a compiled layout. `hex`: sent as two ASCII hex digits per byte. */
export type LayoutElement =
  | { kind: 'fixed'; name: string; bytes: Uint8Array }
  | {
      kind: 'field';
      name: string;
      size: FieldSize;
      endian: Endian;
      hex: boolean;
      value?: number | undefined;
      echo: boolean;
    }
  | ({ kind: 'length'; name: 'length'; size: FieldSize; endian: Endian; hex: boolean; adjust: number } & {
      counts: ElementRange;
    })
  | { kind: 'payload'; name: 'payload'; hex: boolean }
  | ({ kind: 'checksum'; name: 'checksum'; type: ChecksumType; endian: Endian; hex: boolean } & {
      covers: ElementRange;
    });

/** A compiled layout. */
export interface Layout {
  readonly elements: readonly LayoutElement[];
  /** Largest whole frame on the wire, bytes. */
  readonly maxLength: number;
}

/** An element as configured (the output of the layout's zod schema). */
export type ElementConfig =
  | 'payload'
  | { payload: true; hex?: boolean | undefined }
  | { fixed: number[]; name?: string | undefined }
  | {
      field: string;
      size: FieldSize;
      endian: Endian;
      hex?: boolean | undefined;
      value?: number | undefined;
      echo: boolean;
    }
  | {
      length: {
        size: FieldSize;
        endian: Endian;
        hex?: boolean | undefined;
        adjust: number;
        counts: 'payload' | { from: string; to: string };
      };
    }
  | {
      checksum: {
        type: ChecksumType;
        endian?: Endian | undefined;
        hex?: boolean | undefined;
        from?: string | undefined;
        to?: string | undefined;
      };
    };

/** A problem of a configured layout: where (inside the layout) and what. */
export interface LayoutProblem {
  path: Array<string | number>;
  message: string;
}

const RESERVED = new Set(['payload', 'length', 'checksum']);

/** Logical size of an element (bytes before hex encoding); undefined for the payload. */
export function logicalSize(element: LayoutElement): number | undefined {
  switch (element.kind) {
    case 'fixed':
      return element.bytes.length;
    case 'field':
    case 'length':
      return element.size;
    case 'checksum':
      return CHECKSUM_SIZE[element.type];
    case 'payload':
      return undefined;
  }
}

/** Size on the wire of `logical` bytes of `element`. */
export function wireSize(element: LayoutElement, logical: number): number {
  return element.kind !== 'fixed' && element.hex ? logical * 2 : logical;
}

function nameOf(config: ElementConfig, index: number, count: number): string {
  if (config === 'payload' || 'payload' in config) return 'payload';
  if ('fixed' in config) return config.name ?? (index === 0 ? 'start' : index === count - 1 ? 'end' : `fixed${index}`);
  if ('field' in config) return config.field;
  return 'length' in config ? 'length' : 'checksum';
}

/**
 * Compile configured elements. `hex` is the default of elements that do not say (the framing's
 * `hex`). Returns the layout, or every problem found with its path inside the element list.
 */
export function compileLayout(
  configs: readonly ElementConfig[],
  options: { hex: boolean; maxLength: number },
): Layout | { problems: LayoutProblem[] } {
  const problems: LayoutProblem[] = [];
  const names = configs.map((c, i) => nameOf(c, i, configs.length));
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    const config = configs[i]!;
    const own = typeof config === 'object' && ('field' in config || 'fixed' in config);
    if (own && RESERVED.has(name))
      problems.push({
        path: [i, 'fixed' in (config as object) ? 'name' : 'field'],
        message: `"${name}" is the name of an element kind; call it something else`,
      });
    if (index.has(name))
      problems.push({
        path: [i],
        message: `a second element named "${name}" (the first is layout[${index.get(name)}])`,
      });
    else index.set(name, i);
  });
  const known = `elements: ${names.join(', ')}`;
  const find = (name: string, path: Array<string | number>): number => {
    const at = index.get(name);
    if (at === undefined) problems.push({ path, message: `"${name}" is not an element of this frame (${known})` });
    return at ?? -1;
  };
  const payloadAt = names.indexOf('payload');
  const elements: LayoutElement[] = configs.map((config, i): LayoutElement => {
    if (config === 'payload' || 'payload' in config)
      return {
        kind: 'payload',
        name: 'payload',
        hex: (typeof config === 'object' ? config.hex : undefined) ?? options.hex,
      };
    if ('fixed' in config) return { kind: 'fixed', name: names[i]!, bytes: Uint8Array.from(config.fixed) };
    if ('field' in config) {
      return {
        kind: 'field',
        name: config.field,
        size: config.size,
        endian: config.endian,
        hex: config.hex ?? options.hex,
        value: config.value,
        echo: config.echo,
      };
    }
    if ('length' in config) {
      const { counts, size, endian, adjust } = config.length;
      const range =
        counts === 'payload'
          ? { from: payloadAt, to: payloadAt }
          : {
              from: find(counts.from, [i, 'length', 'counts', 'from']),
              to: find(counts.to, [i, 'length', 'counts', 'to']),
            };
      if (counts === 'payload' && payloadAt < 0)
        problems.push({
          path: [i, 'length', 'counts'],
          message: 'counts the payload, but the frame has no payload element',
        });
      return {
        kind: 'length',
        name: 'length',
        size,
        endian,
        adjust,
        hex: config.length.hex ?? options.hex,
        counts: range,
      };
    }
    const cs = config.checksum;
    const firstFixed = configs[0] !== undefined && typeof configs[0] === 'object' && 'fixed' in configs[0];
    const from = cs.from === undefined ? (firstFixed ? 1 : 0) : find(cs.from, [i, 'checksum', 'from']);
    const to = cs.to === undefined ? i - 1 : find(cs.to, [i, 'checksum', 'to']);
    return {
      kind: 'checksum',
      name: 'checksum',
      type: cs.type,
      endian: cs.endian ?? CHECKSUM_ENDIAN[cs.type],
      hex: cs.hex ?? options.hex,
      covers: { from, to },
    };
  });
  checkKinds(elements, problems);
  checkRanges(elements, names, problems);
  const fixedSize = elements.reduce((sum, e) => sum + wireSize(e, logicalSize(e) ?? 0), 0);
  if (fixedSize > options.maxLength)
    problems.push({
      path: [],
      message: `its fixed parts take ${fixedSize} bytes, over maxLength ${options.maxLength}`,
    });
  return problems.length > 0 ? { problems } : { elements, maxLength: options.maxLength };
}

function checkKinds(elements: readonly LayoutElement[], problems: LayoutProblem[]): void {
  if (elements.length === 0) problems.push({ path: [], message: 'a layout needs at least one element' });
  for (const kind of ['payload', 'length', 'checksum'] as const) {
    const at = elements.flatMap((e, i) => (e.kind === kind ? [i] : []));
    if (at.length > 1)
      problems.push({ path: [at[1]!], message: `a frame has at most one ${kind} (the first is layout[${at[0]}])` });
  }
}

function checkRanges(elements: readonly LayoutElement[], names: readonly string[], problems: LayoutProblem[]): void {
  elements.forEach((e, i) => {
    if (e.kind === 'length') {
      const { from, to } = e.counts;
      if (from < 0 || to < 0) return;
      if (from > to)
        problems.push({
          path: [i, 'length', 'counts'],
          message: `counts from "${names[from]}" to "${names[to]}", which comes before it`,
        });
    }
    if (e.kind === 'checksum') {
      const { from, to } = e.covers;
      if (from < 0 || to < 0) return;
      if (to >= i)
        problems.push({
          path: [i, 'checksum', 'to'],
          message: `the checksum's range ends at "${names[to]}", at or after the checksum itself (layout[${i}]): a checksum covers bytes before it`,
        });
      else if (from > to)
        problems.push({
          path: [i, 'checksum', 'from'],
          message: `the checksum's range starts at "${names[from]}", after its end "${names[to]}"`,
        });
    }
  });
}

/**
 * Where a stream decoder learns a frame's end: `length` (a length field before the payload that
 * counts it), `terminator` (the index of the first fixed element after the payload), `fixed` (no
 * payload: every frame has the same size), or a problem when none applies.
 */
export function endRule(
  layout: Layout,
): { kind: 'length'; at: number } | { kind: 'terminator'; at: number } | { kind: 'fixed' } | { problem: string } {
  const { elements } = layout;
  const payloadAt = elements.findIndex((e) => e.kind === 'payload');
  if (payloadAt < 0) return { kind: 'fixed' };
  const lengthAt = elements.findIndex((e) => e.kind === 'length');
  const length = elements[lengthAt];
  if (
    length?.kind === 'length' &&
    lengthAt < payloadAt &&
    length.counts.from <= payloadAt &&
    payloadAt <= length.counts.to
  )
    return { kind: 'length', at: lengthAt };
  const terminator = elements.findIndex((e, i) => i > payloadAt && e.kind === 'fixed');
  if (terminator > 0) return { kind: 'terminator', at: terminator };
  if (length?.kind === 'length' && lengthAt > payloadAt) {
    return {
      problem:
        'the length field comes after the payload and no fixed bytes follow the payload: a decoder cannot find ' +
        'where a frame ends (put the length before the payload, or end bytes after it)',
    };
  }
  return {
    problem:
      'nothing tells where a frame ends: give a length field before the payload that counts it, or fixed end bytes after the payload',
  };
}
