#!/usr/bin/env node
/**
 * `node dist/sim.js [--instance 1234] [--port 47809] [--interface 127.0.0.1] [--tick-ms 1000]
 * [--max-apdu 1476] [--segmentation both|none] [--no-cov] [--no-rpm] [--extra-objects 0]
 * [--announce ip:port] [--broadcast ip:port]`: a simulated BACnet/IP device whose values move.
 * Prints one line `bacnet-sim device <instance> on <ip>:<port>` when ready; stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { startSimDevice } from './device.js';

const { values } = parseArgs({
  options: {
    instance: { type: 'string', default: '1234' },
    port: { type: 'string', default: '47809' },
    interface: { type: 'string', default: '127.0.0.1' },
    'tick-ms': { type: 'string', default: '1000' },
    'max-apdu': { type: 'string', default: '1476' },
    segmentation: { type: 'string', default: 'both' },
    'no-cov': { type: 'boolean', default: false },
    'no-rpm': { type: 'boolean', default: false },
    'extra-objects': { type: 'string', default: '0' },
    announce: { type: 'string' },
    broadcast: { type: 'string' },
  },
});

function int(name: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`bacnet-sim: --${name} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}

if (values.segmentation !== 'both' && values.segmentation !== 'none') {
  process.stderr.write(
    `bacnet-sim: --segmentation must be "both" or "none", got ${JSON.stringify(values.segmentation)}\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const device = await startSimDevice({
    instance: int('instance', values.instance, 0, 4_194_302),
    port: int('port', values.port, 0, 65535),
    interface: values.interface ?? '127.0.0.1',
    tickMs: int('tick-ms', values['tick-ms'], 0, 3_600_000),
    maxApdu: int('max-apdu', values['max-apdu'], 50, 1476),
    segmentation: values.segmentation as 'both' | 'none',
    cov: !values['no-cov'],
    rpm: !values['no-rpm'],
    extraObjects: int('extra-objects', values['extra-objects'], 0, 1000),
    ...(values.announce ? { announce: values.announce } : {}),
    ...(values.broadcast ? { broadcastAddress: values.broadcast } : {}),
  });
  process.stdout.write(`bacnet-sim device ${device.instance} on ${device.address}\n`);
  const stop = (): void => {
    device.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bacnet-sim: ${(error as Error).message}\n`);
  process.exit(1);
});
