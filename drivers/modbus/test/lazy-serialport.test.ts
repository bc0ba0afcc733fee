/**
 * modbus-serial is patched (patches/modbus-serial@8.0.25.patch) so that loading it does not load
 * serialport and its native binding: a Modbus TCP driver never opens a serial port, and
 * serialport cost each such driver about 8 MiB (docs/memory.md). Its serial port types load on
 * first use, as before. Checked in a fresh Node process that loads the library as the bin does.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs `script` in a fresh node process in this package; its stdout as JSON. */
function inFreshNode(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: packageDir, encoding: 'utf8' }));
}

const serialportLoaded =
  'Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/](serialport|@serialport[\\\\/][^\\\\/]+)[\\\\/]/.test(file))';

describe('modbus-serial, patched', () => {
  it('loads without serialport (what a Modbus TCP driver runs)', () => {
    const script = `const ModbusRTU = require('modbus-serial'); console.log(JSON.stringify({ client: typeof ModbusRTU, tcp: typeof ModbusRTU.TcpPort, serialport: ${serialportLoaded} }))`;
    expect(inFreshNode(script)).toEqual({ client: 'function', tcp: 'function', serialport: false });
  });

  it('still gives its serial port types, loading serialport on first use', () => {
    const script = `const ModbusRTU = require('modbus-serial'); const before = ${serialportLoaded}; const types = [typeof ModbusRTU.RTUBufferedPort, typeof ModbusRTU.ServerSerial]; console.log(JSON.stringify({ before, types, after: ${serialportLoaded}, listed: Object.keys(ModbusRTU).includes('RTUBufferedPort') }))`;
    expect(inFreshNode(script)).toEqual({ before: false, types: ['function', 'function'], after: true, listed: true });
  });
});
