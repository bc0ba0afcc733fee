import { describe, expect, it } from 'vitest';
import { NorthboundError } from '../src/errors.js';
import { decodeCommand, decodeSparkplug, encodeSparkplug } from '../src/sparkplug/codec.js';
import { longToNumber, metricType, metricValue } from '../src/sparkplug/metrics.js';
import { dcmdDevice, deviceTopic, nodeTopic, sparkplugId } from '../src/sparkplug/topics.js';

describe('Sparkplug topics', () => {
  it('builds node and device topics; ids lose / + #', () => {
    expect(nodeTopic('fleet', 'NBIRTH', 'site-7')).toBe('spBv1.0/fleet/NBIRTH/site-7');
    expect(deviceTopic('fleet', 'DDATA', 'site-7', 'plc/2')).toBe('spBv1.0/fleet/DDATA/site-7/plc_2');
    expect(sparkplugId('a+b#c/d')).toBe('a_b_c_d');
    expect(dcmdDevice('spBv1.0/fleet/DCMD/site-7/2', 'fleet', 'site-7')).toBe('2');
    expect(dcmdDevice('spBv1.0/fleet/DCMD/other/2', 'fleet', 'site-7')).toBeUndefined();
  });
});

describe('Sparkplug datatypes', () => {
  it('come from the point type, else from the value', () => {
    expect(metricType({ type: 'float32' }, 1)).toBe('Float');
    expect(metricType({ type: 'int16' }, 1)).toBe('Int16');
    expect(metricType({ type: 'uint16' }, 1)).toBe('UInt16');
    expect(metricType({ type: 'bool' }, true)).toBe('Boolean');
    expect(metricType({ type: 'number' }, 1)).toBe('Double');
    expect(metricType({ type: 'json' }, { a: 1 })).toBe('String');
    expect(metricType({ table: 'holding' }, 3)).toBe('Double');
    expect(metricType(undefined, true)).toBe('Boolean');
    expect(metricType(undefined, 'x')).toBe('String');
    expect(metricType(undefined, null)).toBe('String');
  });

  it('values fit their datatype or become null', () => {
    expect(metricValue('Int16', 3.7)).toBe(3);
    expect(metricValue('Int16', true)).toBe(1);
    expect(metricValue('Int16', 'x')).toBeNull();
    expect(metricValue('Boolean', 0)).toBe(false);
    expect(metricValue('Double', 1.5)).toBe(1.5);
    expect(metricValue('String', { a: 1 })).toBe('{"a":1}');
    expect(metricValue('DateTime', new Date(5))).toBe(5);
    expect(metricValue('Double', undefined)).toBeNull();
  });

  it('round-trips through Tahu, Longs read as numbers', () => {
    const bytes = encodeSparkplug({
      timestamp: 10,
      seq: 4,
      metrics: [{ name: 'a', alias: 3, type: 'UInt64', value: 7, timestamp: 9 }],
    });
    const back = decodeSparkplug(bytes);
    expect(longToNumber(back.seq)).toBe(4);
    expect(longToNumber(back.metrics![0]!.alias)).toBe(3);
    expect(longToNumber(back.metrics![0]!.value)).toBe(7);
  });
});

describe('Sparkplug commands', () => {
  it('decodes metrics by name or alias', () => {
    const bytes = encodeSparkplug({
      timestamp: 1,
      metrics: [
        { name: 'Node Control/Rebirth', type: 'Boolean', value: true },
        { alias: 4, type: 'Double', value: 2.5 },
        { alias: 5, type: 'String', value: null, isNull: true },
      ],
    });
    expect(decodeCommand(bytes, 't')).toEqual([
      { name: 'Node Control/Rebirth', value: true },
      { alias: 4, value: 2.5 },
      { alias: 5, value: null },
    ]);
  });

  it('garbage, no metrics, or a metric without name and alias: NORTHBOUND_BAD_COMMAND naming the topic', () => {
    const cases = [
      Buffer.from('not protobuf \xff\xff'),
      encodeSparkplug({ timestamp: 1, metrics: [] }),
      encodeSparkplug({ timestamp: 1, metrics: [{ type: 'Double', value: 1 }] }),
    ];
    for (const bytes of cases) {
      const result = decodeCommand(bytes, 'spBv1.0/g/DCMD/n/1');
      expect(result).toBeInstanceOf(NorthboundError);
      expect(result).toMatchObject({
        code: 'NORTHBOUND_BAD_COMMAND',
        message: expect.stringContaining('spBv1.0/g/DCMD/n/1'),
      });
    }
  });

  it('never throws on any bytes', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeCommand(bytes, 't');
        expect(Array.isArray(result) || result instanceof NorthboundError).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
