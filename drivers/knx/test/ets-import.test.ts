/**
 * ETS group-address exports, in the formats ETS 5/6 writes (samples in fixtures/): CSV "3/1"
 * (Main/Middle/Sub, `;`, quoted, CRLF, BOM), CSV "1/1" (Group name, `,`), XML
 * (GroupAddress-Export with nested GroupRange); broken files are coded errors with the line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importEts, parseEtsExport, splitCsv } from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

const HOUSE = [
  { key: '1/0/1', gateway: 'house', name: 'Lighting / Ground floor / Switch', point: { dpt: '1.001' } },
  { key: '1/0/2', gateway: 'house', name: 'Lighting / Ground floor / Status', point: { dpt: '1.011' } },
  { key: '1/1/1', gateway: 'house', name: 'Lighting / First floor / Switch', point: { dpt: '1.001' } },
  { key: '1/1/2', gateway: 'house', name: 'Lighting / First floor / Status', point: { dpt: '1.011' } },
  { key: '3/1/0', gateway: 'house', name: 'Actual temperature', unit: '°C', point: { dpt: '9.001' } },
  { key: '3/1/1', gateway: 'house', name: 'Setpoint', point: { dpt: '9' } },
  { key: '3/1/2', gateway: 'house', name: 'HVAC mode', point: { dpt: '20.102' } },
  { key: '3/1/4', gateway: 'house', name: 'Colour', point: { dpt: '232.600' } },
  { key: '3/1/5', gateway: 'house', name: 'Energy', unit: 'kWh', point: { dpt: '13.013' } },
];

describe('ETS import', () => {
  it('XML: ranges, names made unique with their ranges, datapoint types, units; an address without a DPT is skipped', () => {
    const result = importEts(fixture('ets-export.xml'), 'house');
    expect(result.format).toBe('xml');
    expect(result.addresses).toEqual(HOUSE.filter((a) => !a.key.startsWith('1/0/3') && !a.key.startsWith('1/0/4')));
    expect(result.skipped).toEqual([
      { address: '3/1/3', name: 'Valve', line: 19, reason: expect.stringMatching(/no datapoint type/) },
    ]);
    expect(parseEtsExport(fixture('ets-export.xml')).entries[4]).toMatchObject({
      path: ['Climate & air', 'Living room'],
      description: 'Sensor; wall "north"',
    });
  });

  it('CSV 3/1 (Main/Middle/Sub, ";", quotes, CRLF, BOM) gives what the XML gives, plus its two dimming points', () => {
    const result = importEts(fixture('ets-3-1.csv'), 'house');
    expect(result.format).toBe('csv');
    expect(result.addresses).toEqual([
      ...HOUSE.slice(0, 2),
      { key: '1/0/3', gateway: 'house', name: 'Dimming', point: { dpt: '3.007' } },
      { key: '1/0/4', gateway: 'house', name: 'Brightness', unit: '%', point: { dpt: '5.001' } },
      ...HOUSE.slice(2),
    ]);
    expect(result.skipped.map((s) => [s.address, s.line])).toEqual([['3/1/3', 16]]);
    expect(parseEtsExport(fixture('ets-3-1.csv')).entries.find((e) => e.address === '3/1/0')?.description).toBe(
      'Sensor; wall "north"',
    );
  });

  it('CSV 1/1 (Group name, ","): the seed\'s 4/7/25 as a key; an unsupported DPT is skipped with the reason', () => {
    const result = importEts(fixture('ets-1-1.csv'), 1);
    expect(result.addresses).toEqual([
      { key: '4/7/25', gateway: 1, name: 'Kitchen switch', point: { dpt: '1.001' } },
      { key: '4/7/26', gateway: 1, name: 'Kitchen temperature', unit: '°C', point: { dpt: '9.001' } },
      { key: '4/7/27', gateway: 1, name: 'Blinds', point: { dpt: '1.008' } },
    ]);
    expect(result.skipped).toEqual([
      { address: '4/7/28', name: 'Unknown', line: 5, reason: 'datapoint type 19.001 is not supported by the driver' },
    ]);
  });

  it('splits quoted CSV fields with separators, doubled quotes and line breaks inside', () => {
    expect(splitCsv('"a;b";"say ""hi""";"x\ny"\r\nc;;d\n', ';')).toEqual([
      { line: 1, fields: ['a;b', 'say "hi"', 'x\ny'] },
      { line: 3, fields: ['c', '', 'd'] },
    ]);
  });

  it.each([
    ['', /ETS export: the file is empty/],
    ['"Name";"Other"\n"x";"y"\n', /ETS CSV line 1: no "Address" column/],
    ['"Group name";"Address"\n"x";"\n', /ETS CSV line 2: a quoted field is not closed/],
    ['"Group name";"Address"\n"x";""\n', /ETS CSV line 2: no address/],
    ['<?xml version="1.0"?>\n<Project/>', /ETS XML line 2: <Project> before <GroupAddress-Export>/],
    ['<GroupAddress-Export>\n<GroupAddress Name="x"/>', /ETS XML line 2: <GroupAddress> without an Address attribute/],
    ['<GroupAddress-Export>\n\n<GroupAddress Name="&nbsp;" Address="1/1/1"/>', /ETS XML line 3: unknown entity &nbsp;/],
  ])('a broken export is KNX_BAD_ETS_EXPORT with its line: %j', (text, message) => {
    expect(() => importEts(text, 1)).toThrow(
      expect.objectContaining({ code: 'KNX_BAD_ETS_EXPORT', message: expect.stringMatching(message) }),
    );
  });
});
