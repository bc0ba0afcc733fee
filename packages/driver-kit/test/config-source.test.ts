import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { configFileArgument, receiveConfig } from '../src/config-source.js';
import { DriverCode } from '../src/errors.js';

const document = { gateway: { id: 1, type: 'virtual', config: {} }, addresses: [] };

describe('receiveConfig', () => {
  it('takes the first IPC message when there is a channel', async () => {
    const ipc = new EventEmitter();
    const pending = receiveConfig({ ipc, env: { WEBLE_CONFIG: '{"ignored": true}' } });
    ipc.emit('message', { type: 'weble:config', ...document });
    await expect(pending).resolves.toEqual({
      raw: { type: 'weble:config', ...document },
      origin: 'IPC message weble:config',
      fromParent: true, // the only source that may say it was validated already (bundled-driver.test.ts)
    });
    expect(ipc.listenerCount('message')).toBe(0);
  });

  it('refuses a first IPC message of another type, and a silent parent', async () => {
    const ipc = new EventEmitter();
    const wrong = receiveConfig({ ipc });
    ipc.emit('message', { type: 'hello' });
    await expect(wrong).rejects.toMatchObject({
      code: DriverCode.BAD_CONFIG,
      message: 'first IPC message: expected type "weble:config", got type string ("hello")',
    });
    await expect(receiveConfig({ ipc, timeoutMs: 10 })).rejects.toMatchObject({
      code: DriverCode.NO_CONFIG,
      message: 'no weble:config IPC message within 10 ms',
    });
  });

  it('reads --config <file> and --config=<file> without a channel', async () => {
    const files: Record<string, string> = { '/etc/gw.json': JSON.stringify(document) };
    const readFile = (path: string): string => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      return text;
    };
    await expect(receiveConfig({ ipc: undefined, argv: ['--config', '/etc/gw.json'], readFile })).resolves.toEqual({
      raw: document,
      origin: '--config /etc/gw.json',
      fromParent: false,
    });
    await expect(receiveConfig({ ipc: undefined, argv: ['--config=/etc/gw.json'], readFile })).resolves.toMatchObject({
      raw: document,
    });
    await expect(receiveConfig({ ipc: undefined, argv: ['--config', '/nope.json'], readFile })).rejects.toMatchObject({
      code: DriverCode.NO_CONFIG,
      message: expect.stringMatching(/^--config \/nope\.json: cannot read: ENOENT/),
    });
    files['/bad.json'] = '{"gateway": ';
    await expect(receiveConfig({ ipc: undefined, argv: ['--config', '/bad.json'], readFile })).rejects.toMatchObject({
      code: DriverCode.BAD_CONFIG,
      message: expect.stringMatching(/^--config \/bad\.json: not valid JSON/),
    });
  });

  it('reads WEBLE_CONFIG, and says where configuration can come from when there is none', async () => {
    await expect(
      receiveConfig({ ipc: undefined, argv: [], env: { WEBLE_CONFIG: JSON.stringify(document) } }),
    ).resolves.toEqual({ raw: document, origin: 'WEBLE_CONFIG', fromParent: false });
    await expect(receiveConfig({ ipc: undefined, argv: [], env: { WEBLE_CONFIG: 'nope' } })).rejects.toMatchObject({
      code: DriverCode.BAD_CONFIG,
    });
    await expect(receiveConfig({ ipc: undefined, argv: [], env: {} })).rejects.toMatchObject({
      code: DriverCode.NO_CONFIG,
      message: expect.stringContaining('WEBLE_CONFIG'),
    });
  });
});

describe('configFileArgument', () => {
  it('finds the file argument or complains when it is missing', () => {
    expect(configFileArgument(['-v', '--config', 'a.json'])).toBe('a.json');
    expect(configFileArgument([])).toBeUndefined();
    expect(() => configFileArgument(['--config'])).toThrow('--config needs a file path');
  });
});
