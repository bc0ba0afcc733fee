import { driverConfigSchema, formatIssues } from '@weble/driver-kit';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModbusCode } from '../src/errors.js';
import { definition } from '../src/definition.js';
import { configSchema, pointSchema, registerCount } from '../src/schemas.js';
import { valueSchemaOf } from '../src/value-schema.js';
import { modiconAddress, modiconRange } from '../src/errors.js';

const problems = (
  result: { success: boolean; error?: { issues: Parameters<typeof formatIssues>[0] } },
  path: string,
) => (result.success ? [] : formatIssues(result.error!.issues, path));

describe('configuration', () => {
  it('fills the defaults of a TCP and an RTU gateway', () => {
    expect(configSchema.parse({ transport: 'tcp', host: 'plc' })).toMatchObject({
      port: 502,
      unitId: 1,
      timeoutMs: 1000,
      retries: 1,
      pollMs: 1000,
      maxRegisters: 125,
      maxBits: 2000,
    });
    expect(configSchema.parse({ transport: 'rtu', path: '/dev/ttyUSB0' })).toMatchObject({
      baudRate: 9600,
      parity: 'none',
      dataBits: 8,
      stopBits: 1,
      turnaroundMs: 10,
    });
  });

  it('names every problem with its path', () => {
    const result = driverConfigSchema(definition).safeParse({
      gateway: { id: 3, type: 'modbus', config: { transport: 'tcp', host: 'plc', port: '502x', baud: 9600 } },
      addresses: [
        { key: 'a', point: { table: 'holding', address: 70000 } },
        { key: 'b', point: { table: 'coil', address: 1, type: 'float32' } },
        { key: 'c', point: { table: 'holding', address: 1, type: 'bool' } },
        { key: 'd', point: { table: 'holding', address: 1, type: 'string' } },
        { key: 'e', point: { table: 'holding', address: 65535, type: 'float32' } },
        { key: 'f', point: { table: 'holding', address: 1, type: 'string', length: 4, scale: 2 } },
        { key: 'g', point: { table: 'input', address: 1, order: 'ACBD' } },
      ],
    });
    expect(problems(result, '')).toEqual([
      'gateway.config.port: expected number, received string',
      'gateway.config: Unrecognized key: "baud"',
      'addresses[0].point.address: Too big: expected number to be <=65535',
      'addresses[1].point.type: a coil holds one bit: type must be bool',
      'addresses[2].point.bit: a bool in a holding register needs bit (0-15)',
      'addresses[3].point.length: a string needs length (characters, 1-250)',
      'addresses[4].point.address: float32 at 65535 runs past address 65535',
      'addresses[5].point.scale: scale and offset are only for numbers, not string',
      'addresses[6].point.order: Invalid option: expected one of "ABCD"|"BADC"|"CDAB"|"DCBA"',
    ]);
  });

  it('counts the registers of each type', () => {
    const count = (type: string, extra = {}) =>
      registerCount(pointSchema.parse({ table: 'holding', address: 0, type, ...extra }));
    expect([
      count('uint16'),
      count('float32'),
      count('float64'),
      count('string', { length: 5 }),
      count('bool', { bit: 2 }),
    ]).toEqual([1, 2, 4, 3, 1]);
  });

  it('checks written values against the point', () => {
    const check = (point: object, value: unknown) => valueSchemaOf(pointSchema.parse(point)).safeParse(value).success;
    expect(check({ table: 'coil', address: 0, type: 'bool' }, true)).toBe(true);
    expect(check({ table: 'coil', address: 0, type: 'bool' }, 1)).toBe(false);
    expect(check({ table: 'holding', address: 0, type: 'int16' }, 40000)).toBe(false);
    expect(check({ table: 'holding', address: 0, type: 'int16', scale: 10 }, 40000)).toBe(true);
    expect(check({ table: 'holding', address: 0, type: 'string', length: 2 }, 'abc')).toBe(false);
    expect(check({ table: 'holding', address: 0, type: 'string', length: 2 }, 'é')).toBe(true);
    expect(check({ table: 'holding', address: 0, type: 'string', length: 2 }, '€')).toBe(false);
    expect(check({ table: 'holding', address: 0, type: 'float32' }, Number.NaN)).toBe(false);
  });

  it('numbers addresses the Modicon way in messages', () => {
    expect(modiconAddress('holding', 11)).toBe('40012');
    expect(modiconAddress('coil', 0)).toBe('00001');
    expect(modiconAddress('discrete', 9)).toBe('10010');
    expect(modiconAddress('input', 10011)).toBe('310012');
    expect(modiconRange('holding', 0, 3)).toBe('40001-40003');
  });

  it('every error code is documented in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(Object.values(ModbusCode).filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
