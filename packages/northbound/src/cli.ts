#!/usr/bin/env node
/**
 * `weble-northbound`: one bridge as a process, started by the supervisor like a driver
 * (docs/northbound.md): `WEBLE_HUB` (required) and `WEBLE_PEER_NAME` in the environment, the
 * configuration as the first IPC message `{type: 'weble:config', northbound, site, bufferDir}`,
 * else `--config <file.json>` or `WEBLE_CONFIG`. Exit 2 on a missing or invalid configuration,
 * 0 on SIGTERM/SIGINT or when the parent goes away, 1 on a crash.
 */
import { formatIssues, receiveConfig, watchParent } from '@weble/driver-kit';
import pino from 'pino';
import { bridgeConfigSchema } from './config/schema.js';
import { NorthboundEnv } from './contract.js';
import { NorthboundCode } from './errors.js';
import { startBridge, type RunningBridge } from './start-bridge.js';

const log = pino({ name: 'northbound', level: process.env.WEBLE_LOG_LEVEL ?? 'info' }, pino.destination(2));

function fail(lines: string[]): never {
  process.stderr.write(`northbound: ${lines.join('\n  ')}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const hub = process.env[NorthboundEnv.hub];
  if (!hub) fail(['invalid environment:', `env.${NorthboundEnv.hub}: required: the hub endpoint (UNIX socket path)`]);
  let raw;
  try {
    raw = await receiveConfig();
  } catch (error) {
    fail([(error as Error).message]);
  }
  const parsed = bridgeConfigSchema.safeParse(raw.raw);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    fail([
      `${NorthboundCode.BAD_CONFIG}: invalid configuration (${raw.origin}), ${problems.length} problem(s):`,
      ...problems,
    ]);
  }
  const peerName = process.env[NorthboundEnv.peerName];
  let bridge: RunningBridge;
  try {
    bridge = startBridge(parsed.data, { hub, baseDir: process.cwd(), logger: log, ...(peerName ? { peerName } : {}) });
  } catch (error) {
    log.error({ err: error }, `cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ reason }, 'stopping');
    setTimeout(() => process.exit(1), 3000).unref();
    bridge.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  watchParent(stop);
}

main().catch((error: unknown) => {
  log.error({ err: error }, 'crashed');
  process.exit(1);
});
