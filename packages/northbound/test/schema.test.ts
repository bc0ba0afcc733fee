import { formatIssues } from '@weble/driver-kit';
import { describe, expect, it } from 'vitest';
import { northboundSchema } from '../src/config/schema.js';

function problems(input: unknown): string[] {
  const result = northboundSchema.safeParse(input);
  return result.success ? [] : formatIssues(result.error.issues, 'northbound[0]');
}

describe('northbound schema', () => {
  it('fills in the defaults', () => {
    const parsed = northboundSchema.parse({ id: 'cloud', brokers: ['mqtt://127.0.0.1:1883'] });
    expect(parsed).toMatchObject({
      enabled: true,
      mode: 'plain',
      protocolVersion: 5,
      keepaliveS: 30,
      qos: 1,
      retain: true,
      topics: {
        value: 'weble/<site>/<gateway>/<key>',
        gatewayState: 'weble/<site>/<gateway>/$state',
        status: 'weble/<site>/$bridge/<id>',
      },
      publish: { addresses: ['*'], gateways: [], onChange: true, deadband: 0 },
      writable: [],
      buffer: { maxMB: 64 },
    });
  });

  it('reports every problem with its path', () => {
    const found = problems({
      id: 'a b',
      brokers: ['http://x', 'mqtt://'],
      protocolVersion: 3,
      qos: 2,
      topics: { value: 'a/+/b' },
      publish: { onChange: false },
      tls: { cert: './c.pem' },
      extra: 1,
    });
    const text = found.join('\n');
    for (const path of [
      'northbound[0].id',
      'northbound[0].brokers[0]',
      'northbound[0].brokers[1]',
      'northbound[0].protocolVersion',
      'northbound[0].qos',
      'northbound[0].topics.value',
      'northbound[0].publish.periodMs',
      'northbound[0].tls.key',
    ]) {
      expect(text).toContain(path);
    }
    expect(text).toMatch(/extra/);
  });

  it('takes every broker scheme and both protocol versions', () => {
    for (const url of ['mqtt://h', 'mqtts://h:8883', 'ws://h:8080/mqtt', 'wss://h'])
      expect(problems({ id: 'x', brokers: [url] })).toEqual([]);
    expect(problems({ id: 'x', brokers: ['mqtt://h'], protocolVersion: 4 })).toEqual([]);
  });
});
