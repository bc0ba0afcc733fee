/**
 * `weble-supervisor validate` (the built CLI, a real child process) on serial gateways whose frame
 * layouts are wrong: every problem is refused with its path in site.yaml and its line, like the
 * rest of the configuration; the documented shapes pass.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configSchema, pointSchema } from '@weble/driver-serial';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const supervisorPackage = require.resolve('@weble/supervisor/package.json');
const CLI = join(
  dirname(supervisorPackage),
  (require(supervisorPackage) as { bin: Record<string, string> }).bin['weble-supervisor']!,
);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function validate(site: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'weble-serial-validate-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'site.yaml'), site);
  const child = spawn(process.execPath, [CLI, 'validate', '--config', 'site.yaml'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const STX = `
        - { fixed: "02" }
        - { field: address, value: 1, echo: true }
        - { field: command }`;

describe('weble-supervisor validate on serial frame layouts', () => {
  it('refuses a length counting past the frame and a checksum range ending after the checksum, with their paths and lines', async () => {
    const run = await validate(`
hub: { socket: ./run/s.sock }
gateways:
  - id: 1
    type: serial
    config:
      path: /dev/ttyUSB0
      framing:
        type: frame
        layout:${STX}
        - { length: { size: 1, counts: { from: address, to: trailer } } }
        - payload
        - { checksum: { type: crc16-modbus, from: address, to: payload } }
        - { fixed: "03" }
  - id: 2
    type: serial
    config:
      path: /dev/ttyUSB1
      framing:
        type: frame
        layout:${STX}
        - { length: { size: 1 } }
        - payload
        - { checksum: { type: crc8, from: address, to: end } }
        - { fixed: "03" }
addresses: []
`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('site.yaml is invalid: 2 problems');
    expect(lines).toContain(
      '  site.yaml:14: gateways[0].config.framing.layout[3].length.counts.to: "trailer" is not an element of this frame ' +
        '(elements: start, address, command, length, payload, checksum, end)',
    );
    expect(lines).toContain(
      '  site.yaml:30: gateways[1].config.framing.layout[5].checksum.to: the checksum\'s range ends at "end", ' +
        'at or after the checksum itself (layout[5]): a checksum covers bytes before it',
    );
  });

  it('accepts the three documented shapes', async () => {
    const run = await validate(`
hub: { socket: ./run/s.sock }
gateways:
  - id: 1
    type: serial
    config:
      path: /dev/ttyUSB0
      framing:
        type: frame
        layout:${STX}
        - { length: { size: 1 } }
        - payload
        - { checksum: { type: crc16-modbus, from: address, to: payload } }
        - { fixed: "03" }
  - id: 2
    type: serial
    config:
      path: /dev/ttyUSB1
      framing: { type: delimiter, delimiter: '\\r\\n', hex: true,
        layout: [{ fixed: "3a" }, { field: address, value: 1, echo: true }, { field: function }, payload, { checksum: { type: lrc } }] }
  - id: 3
    type: serial
    config:
      path: /dev/ttyUSB2
      framing:
        type: frame
        layout:
        - { fixed: "aa 55" }
        - { length: { size: 2, endian: little, counts: { from: address, to: payload } } }
        - { field: address, size: 2, endian: little, value: 0x1234, echo: true }
        - { field: command, echo: true }
        - payload
        - { checksum: { type: crc16-modbus } }
addresses:
  - key: stx/temp
    gateway: 1
    point: { type: number, poll: { fields: { command: 1 }, command: '\\x01',
      reply: { fields: { command: 1 }, field: { offset: 1, type: int16 }, scale: 0.1 } } }
`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('site.yaml is valid: 3 gateways, 1 address');
  });
});

describe('the serial README', () => {
  it("every gateway and address of its YAML examples passes the driver's schemas", () => {
    const readme = readFileSync(
      join(dirname(require.resolve('@weble/driver-serial/package.json')), 'README.md'),
      'utf8',
    );
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (m) => parse(m[1]!) as { gateways?: Array<{ config: unknown }>; addresses?: Array<{ point: unknown }> },
    );
    const gateways = blocks.flatMap((b) => b.gateways ?? []);
    const addresses = blocks.flatMap((b) => b.addresses ?? []);
    expect(gateways.length).toBeGreaterThanOrEqual(5); // the two first examples and the three worked ones
    for (const gateway of gateways) expect(configSchema.safeParse(gateway.config).error?.issues ?? []).toEqual([]);
    for (const address of addresses) expect(pointSchema.safeParse(address.point).error?.issues ?? []).toEqual([]);
  });
});
