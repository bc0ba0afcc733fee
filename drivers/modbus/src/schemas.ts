/**
 * Schemas of the Modbus driver: the gateway config (a TCP device or an RTU line), the points and
 * the values each point accepts. Objects are strict, so a misspelt field is reported, not ignored.
 */
import * as z from 'zod';
import { registerCount } from './point-facts.js';

/** Register tables: coil (FC1/5/15), discrete input (FC2), input register (FC4), holding register (FC3/6/16). */
export const TABLES = ['coil', 'discrete', 'input', 'holding'] as const;
/** A Modbus table. */
export type Table = (typeof TABLES)[number];

/** Value types of points. `bool` on `input`/`holding` needs `bit` (a bit of a register). */
export const TYPES = [
  'bool',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'float32',
  'int64',
  'uint64',
  'float64',
  'string',
] as const;
/** A point's value type. */
export type PointType = (typeof TYPES)[number];

/**
 * Byte and word order of multi-byte values, named after the bytes of a 32-bit value A B C D
 * (A most significant) as they appear on the wire. For 64-bit values the same rule spans four
 * words; for 16-bit values only the byte swap counts (ABCD = CDAB, BADC = DCBA).
 */
export const ORDERS = ['ABCD', 'BADC', 'CDAB', 'DCBA'] as const;
/** A byte/word order. */
export type ByteOrder = (typeof ORDERS)[number];

const unitId = z.number().int().min(0).max(255);

/** Settings shared by both transports. */
const common = {
  /** Default unit id (slave address) of points that name none. Default 1. */
  unitId: unitId.default(1),
  /** Time allowed for one request, ms. Default 1000. */
  timeoutMs: z.number().int().min(10).max(60_000).default(1_000),
  /** Retries of a request that timed out (exceptions are never retried). Default 1. */
  retries: z.number().int().min(0).max(10).default(1),
  /** Default poll interval of points, ms. Default 1000. */
  pollMs: z.number().int().min(10).max(86_400_000).default(1_000),
  /** Largest hole (registers) bridged when merging register reads. Default 8. */
  maxGapRegisters: z.number().int().min(0).max(124).default(8),
  /** Largest hole (bits) bridged when merging coil/discrete reads. Default 64. */
  maxGapBits: z.number().int().min(0).max(1999).default(64),
  /** Registers per read request (protocol limit 125). Default 125. */
  maxRegisters: z.number().int().min(1).max(125).default(125),
  /** Bits per read request (protocol limit 2000). Default 2000. */
  maxBits: z.number().int().min(1).max(2000).default(2000),
  /** Writes waiting for the line at most; more fail at once. Default 100. */
  maxPendingWrites: z.number().int().min(1).max(10_000).default(100),
  /** A unit that did not answer is polled again only after this long, ms. Default 5000. */
  deadUnitRetryMs: z.number().int().min(10).max(3_600_000).default(5_000),
  /** Read a point back after each write (a point's `readBack` overrides it). Default false. */
  readBack: z.boolean().default(false),
};

/** Modbus TCP: one device (or a TCP/RTU gateway) at `host:port`. */
export const tcpConfigSchema = z.strictObject({
  transport: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(502),
  ...common,
});

/** Modbus RTU: one serial line with one or more slaves, one request at a time. */
export const rtuConfigSchema = z.strictObject({
  transport: z.literal('rtu'),
  /** Serial device, e.g. `/dev/ttyUSB0`. */
  path: z.string().min(1),
  baudRate: z.number().int().min(300).max(4_000_000).default(9_600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Extra silence after each reply or timeout before the next request, ms. Default 10. */
  turnaroundMs: z.number().int().min(0).max(10_000).default(10),
  ...common,
});

/** Gateway config: `transport: tcp` or `transport: rtu`. */
export const configSchema = z.discriminatedUnion('transport', [tcpConfigSchema, rtuConfigSchema]);

/** Refinements that need several fields of a point. */
function checkPoint(
  point: {
    table: Table;
    type: PointType;
    bit?: number | undefined;
    length?: number | undefined;
    address: number;
    scale?: number | undefined;
    offset?: number | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const bitTable = point.table === 'coil' || point.table === 'discrete';
  if (bitTable && point.type !== 'bool')
    ctx.addIssue({ code: 'custom', path: ['type'], message: `a ${point.table} holds one bit: type must be bool` });
  if (!bitTable && point.type === 'bool' && point.bit === undefined) {
    ctx.addIssue({ code: 'custom', path: ['bit'], message: `a bool in a ${point.table} register needs bit (0-15)` });
  }
  if (point.bit !== undefined && (bitTable || point.type !== 'bool'))
    ctx.addIssue({
      code: 'custom',
      path: ['bit'],
      message: 'bit is only for type bool in an input or holding register',
    });
  if (point.type === 'string' && point.length === undefined)
    ctx.addIssue({ code: 'custom', path: ['length'], message: 'a string needs length (characters, 1-250)' });
  if (point.type !== 'string' && point.length !== undefined)
    ctx.addIssue({ code: 'custom', path: ['length'], message: 'length is only for type string' });
  if ((point.type === 'bool' || point.type === 'string') && (point.scale !== undefined || point.offset !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scale'],
      message: `scale and offset are only for numbers, not ${point.type}`,
    });
  }
  const words = registerCount(point as Pick<ModbusPoint, 'table' | 'type' | 'length'>);
  if (point.address <= 65_535 && point.address + words > 65_536)
    ctx.addIssue({
      code: 'custom',
      path: ['address'],
      message: `${point.type} at ${point.address} runs past address 65535`,
    });
}

/**
 * A point: where it is (`table`, 0-based protocol `address`, optional `unit`), how its bytes read
 * (`type`, `order`, `bit`, `length`), the engineering value (`value = raw * scale + offset`), and
 * how it is polled and reported (`pollMs`, `deadband`, `readBack`, `writeMultiple`).
 */
export const pointSchema = z
  .strictObject({
    table: z.enum(TABLES),
    /** 0-based protocol address (holding register 40001 is address 0). */
    address: z.number().int().min(0).max(65_535),
    type: z.enum(TYPES).default('uint16'),
    /** Unit id (slave address); default: the gateway's `unitId`. */
    unit: unitId.optional(),
    order: z.enum(ORDERS).default('ABCD'),
    /** Bit 0 (least significant) to 15 of a register, for `type: bool` on input/holding. */
    bit: z.number().int().min(0).max(15).optional(),
    /** Characters of a `string` (2 per register, NULs at the end trimmed). */
    length: z.number().int().min(1).max(250).optional(),
    scale: z
      .number()
      .finite()
      .refine((v) => v !== 0, 'must not be 0')
      .optional(),
    offset: z.number().finite().optional(),
    /** Poll interval of this point, ms; default the gateway's `pollMs`. Points of one interval form a poll group. */
    pollMs: z.number().int().min(10).max(86_400_000).optional(),
    /** Report a number only when it moved at least this much since the last report. */
    deadband: z.number().min(0).optional(),
    /** Read the point back after a write; default the gateway's `readBack`. */
    readBack: z.boolean().optional(),
    /** Write with FC15/FC16 even when one coil/register would do (devices without FC5/FC6). */
    writeMultiple: z.boolean().optional(),
  })
  .superRefine(checkPoint);

/** Gateway config of the Modbus driver. */
export type ModbusConfig = z.output<typeof configSchema>;
/** A TCP gateway config. */
export type TcpConfig = z.output<typeof tcpConfigSchema>;
/** An RTU gateway config. */
export type RtuConfig = z.output<typeof rtuConfigSchema>;
/** A point of the Modbus driver. */
export type ModbusPoint = z.output<typeof pointSchema>;
/** What points hold: booleans, numbers and strings. */
export type ModbusValue = boolean | number | string;

export { isWritable, registerCount } from './point-facts.js';
