/** The pure parts: names, schemas, values, failures, batching, COV policy, the I-Am frame. */
import { describe, expect, it } from 'vitest';
import bacnet from '../src/lib.js';
import { planBatches, resultSize, type ReadItem } from '../src/batching.js';
import { planCancellations, renewAfterMs, wantsCov } from '../src/cov-policy.js';
import { classify, requestError } from '../src/failures.js';
import { configSchema, pointSchema, valueSchemaOf } from '../src/schemas.js';
import { iAmFrame } from '../src/sim/device.js';
import { decodeOne, decodeStatusFlags, defaultWriteTag, encodeWrite, float32ToNumber } from '../src/values.js';
import { formatIssues } from '@weble/driver-kit';

const { ObjectType: T, PropertyIdentifier: P, ApplicationTag: Tag } = bacnet;

describe('schemas', () => {
  it('takes objects and properties by name or number and gives canonical names', () => {
    expect(pointSchema.parse({ device: 1, object: 'ANALOG_INPUT:3' })).toEqual({
      device: 1,
      object: 'analog-input:3',
      property: 'present-value',
      status: false,
    });
    expect(pointSchema.parse({ device: 1, object: { type: 4, instance: 2 }, property: 87 })).toMatchObject({
      object: 'binary-output:2',
      property: 'priority-array',
    });
    expect(
      pointSchema.parse({ device: 1, object: { type: 'analog-value', instance: 7 }, property: 'status_flags' }),
    ).toMatchObject({ object: 'analog-value:7', property: 'status-flags' });
  });

  it('names every problem with its path', () => {
    const bad = pointSchema.safeParse({
      device: -1,
      object: 'pump:1',
      property: 'temperature',
      priority: 17,
      extra: 1,
    });
    expect(bad.success).toBe(false);
    const problems = formatIssues(bad.error!.issues, 'addresses[0].point');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^addresses\[0\]\.point\.device: /),
        expect.stringContaining('addresses[0].point.object: unknown object type "pump"'),
        expect.stringContaining('addresses[0].point.property: unknown property "temperature"'),
        expect.stringMatching(/^addresses\[0\]\.point\.priority: /),
        expect.stringMatching(/^addresses\[0\]\.point: .*extra/),
      ]),
    );
    const config = configSchema.safeParse({
      broadcastAddress: '10.0.0.300',
      devices: [{ instance: 5 }, { instance: 5 }],
    });
    expect(formatIssues(config.error!.issues, 'gateways[0].config')).toEqual([
      'gateways[0].config.broadcastAddress: address out of range',
      'gateways[0].config.devices[1].instance: duplicate device 5 (first at devices[0])',
    ]);
    expect(configSchema.parse({})).toMatchObject({
      port: 47808,
      priority: 16,
      retries: 2,
      cov: { enabled: true, lifetimeS: 300, confirmed: false },
      devices: [],
    });
  });

  it('checks written values by object type; null relinquishes', () => {
    const analog = valueSchemaOf(pointSchema.parse({ device: 1, object: 'analog-output:1' }));
    expect(analog.safeParse(12.5).success).toBe(true);
    expect(analog.safeParse(null).success).toBe(true);
    expect(analog.safeParse('12').success).toBe(false);
    expect(analog.safeParse(Number.NaN).success).toBe(false);
    const binary = valueSchemaOf(pointSchema.parse({ device: 1, object: 'binary-output:1' }));
    expect([true, 0, 1, null].map((v) => binary.safeParse(v).success)).toEqual([true, true, true, true]);
    expect(binary.safeParse(2).success).toBe(false);
    const multi = valueSchemaOf(pointSchema.parse({ device: 1, object: 'multi-state-value:1' }));
    expect(multi.safeParse(0).success).toBe(false);
  });
});

describe('values', () => {
  it('reports float32 as the shortest decimal that reads back the same', () => {
    expect(float32ToNumber(Math.fround(11.2))).toBe(11.2);
    expect(float32ToNumber(Math.fround(0.1))).toBe(0.1);
    expect(float32ToNumber(Math.fround(21.55))).toBe(21.55);
    expect(float32ToNumber(16777217)).toBe(16777216);
    for (const x of [1e-7, 3.4e38, -273.15, 123456.789])
      expect(Math.fround(float32ToNumber(Math.fround(x)))).toBe(Math.fround(x));
  });

  it('decodes binary present-values as booleans and status flags as an object', () => {
    expect(
      decodeOne(
        { type: Tag.ENUMERATED, value: 1 },
        { object: { type: T.BINARY_INPUT, instance: 1 }, property: P.PRESENT_VALUE },
      ),
    ).toBe(true);
    expect(
      decodeOne(
        { type: Tag.ENUMERATED, value: 1 },
        { object: { type: T.ANALOG_INPUT, instance: 1 }, property: P.UNITS },
      ),
    ).toBe(1);
    const flags = new bacnet.StatusFlagsBitString(bacnet.StatusFlags.FAULT, bacnet.StatusFlags.OUT_OF_SERVICE);
    expect(decodeStatusFlags(flags)).toEqual({ inAlarm: false, fault: true, overridden: false, outOfService: true });
    expect(decodeOne({ type: Tag.OBJECTIDENTIFIER, value: { type: 2, instance: 12 } })).toBe('analog-value:12');
  });

  it('encodes writes with the tag of the object type', () => {
    expect(defaultWriteTag({ type: T.ANALOG_OUTPUT, instance: 1 }, P.PRESENT_VALUE, 3)).toBe('real');
    expect(defaultWriteTag({ type: T.BINARY_OUTPUT, instance: 1 }, P.PRESENT_VALUE, true)).toBe('enumerated');
    expect(defaultWriteTag({ type: T.MULTI_STATE_VALUE, instance: 1 }, P.PRESENT_VALUE, 2)).toBe('unsigned');
    expect(defaultWriteTag({ type: T.ANALOG_OUTPUT, instance: 1 }, P.OBJECT_NAME, 'valve')).toBe('string');
    expect(encodeWrite(true, 'enumerated')).toEqual({ type: Tag.ENUMERATED, value: 1 });
    expect(encodeWrite(null, 'real')).toEqual({ type: Tag.NULL, value: null });
    expect(encodeWrite(21.5, 'real')).toEqual({ type: Tag.REAL, value: 21.5 });
  });
});

describe('failures', () => {
  it('turns the library text into data and clear messages', () => {
    expect(classify(new Error('BacnetError - Class:1 - Code:31'))).toEqual({
      kind: 'error',
      errorClass: 1,
      errorCode: 31,
    });
    expect(classify(new Error('BacnetAbort - Reason:4'))).toEqual({ kind: 'abort', reason: 4 });
    expect(classify(new Error('ERR_TIMEOUT'))).toEqual({ kind: 'timeout' });
    expect(requestError(new Error('BacnetError - Class:1 - Code:31'), 'analog-value:12', 1234).message).toBe(
      'unknown-object analog-value:12 on device 1234 (error class object)',
    );
    expect(requestError(new Error('BacnetAbort - Reason:4'), 'device:1 object-list', 7).message).toContain(
      'segmentation-not-supported',
    );
    expect(
      requestError(
        new Error('ERR_TIMEOUT'),
        'analog-input:1 present-value',
        7,
        '(10.0.0.5:47808) after 3 tries of 3000 ms',
      ).message,
    ).toBe('no answer: analog-input:1 present-value on device 7 (10.0.0.5:47808) after 3 tries of 3000 ms');
  });
});

describe('RPM batching', () => {
  const items = (count: number, objects = count): ReadItem[] =>
    Array.from({ length: count }, (_, i) => ({
      object: { type: T.ANALOG_VALUE, instance: i % objects },
      property: P.PRESENT_VALUE,
    }));
  const estimate = (batch: ReadItem[]): number =>
    3 +
    new Set(batch.map((item) => item.object.instance)).size * 7 +
    batch.reduce((sum, item) => sum + resultSize(item), 0);

  it('keeps each answer within the max APDU and loses no item', () => {
    for (const maxApdu of [50, 128, 206, 480, 1024, 1476]) {
      const input = items(300, 120);
      const batches = planBatches(input, maxApdu);
      expect(batches.flat()).toHaveLength(300);
      for (const batch of batches) if (batch.length > 1) expect(estimate(batch)).toBeLessThanOrEqual(maxApdu);
    }
    expect(planBatches(items(100), 1476).length).toBeLessThan(planBatches(items(100), 480).length);
    expect(planBatches([], 1476)).toEqual([]);
  });

  it('groups the properties of one object together and caps items per request', () => {
    const mixed: ReadItem[] = [
      { object: { type: T.ANALOG_INPUT, instance: 1 }, property: P.PRESENT_VALUE },
      { object: { type: T.ANALOG_INPUT, instance: 2 }, property: P.PRESENT_VALUE },
      { object: { type: T.ANALOG_INPUT, instance: 1 }, property: P.STATUS_FLAGS },
    ];
    expect(planBatches(mixed, 1476)[0]?.map((item) => [item.object.instance, item.property])).toEqual([
      [1, P.PRESENT_VALUE],
      [1, P.STATUS_FLAGS],
      [2, P.PRESENT_VALUE],
    ]);
    expect(planBatches(items(200), 1476, 64).every((batch) => batch.length <= 64)).toBe(true);
  });
});

describe('COV policy', () => {
  it('renews at three quarters of the lifetime and serves present-value and status-flags', () => {
    expect(renewAfterMs(300)).toBe(225_000);
    expect(renewAfterMs(1)).toBe(1_000);
    expect(wantsCov({ property: 'present-value' }, true)).toBe(true);
    expect(wantsCov({ property: 'present-value', cov: false }, true)).toBe(false);
    expect(wantsCov({ property: 'present-value', cov: true }, false)).toBe(true);
    expect(wantsCov({ property: 'object-name', cov: true }, true)).toBe(false);
    expect(wantsCov({ property: 'priority-array', index: 8 }, true)).toBe(false);
  });

  it('cancels at a stop only the subscriptions of devices that are online', () => {
    const held = [
      { instance: 1, objectKey: '0:1' },
      { instance: 2, objectKey: '0:1' },
      { instance: 1, objectKey: '4:1' },
      { instance: 3, objectKey: '0:2' },
      { instance: 9, objectKey: '0:3' },
    ];
    const states: Record<number, string> = { 1: 'online', 2: 'offline', 3: 'unbound' };
    expect(planCancellations(held, (instance) => states[instance])).toEqual({
      cancel: [held[0], held[2]],
      skipped: [held[1], held[3], held[4]],
    });
    expect(planCancellations([], () => 'online')).toEqual({ cancel: [], skipped: [] });
  });
});

describe('the simulated device', () => {
  it('announces itself with an I-Am the library decodes', () => {
    const frame = iAmFrame(1234, 480, bacnet.Segmentation.NO_SEGMENTATION, 999);
    expect(frame.readUInt16BE(2)).toBe(frame.length);
    expect([...frame.subarray(0, 8)]).toEqual([0x81, 0x0a, 0x00, frame.length, 0x01, 0x00, 0x10, 0x00]);
  });
});
