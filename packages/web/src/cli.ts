#!/usr/bin/env node
/**
 * `weble-web`: the `webserver` peer as a process, started like a driver (docs/driver-contract.md):
 * `WEBLE_HUB` (required) and `WEBLE_PEER_NAME` (default `webserver`) in the environment, the
 * configuration as the first IPC message `{type: 'weble:config', ...}` (see web-config.ts), else
 * `--config <file.json>` or `WEBLE_CONFIG`. Exit 2 on a missing or invalid configuration, 0 on
 * SIGTERM/SIGINT or when the parent goes away, 1 on a crash.
 */
import { receiveConfig, watchParent } from '@weble/driver-kit';
import pino from 'pino';
import { parseWebConfig, serverOptions } from './web-config.js';
import { startWebServer, type WebServer } from './web-server.js';

const log = pino({ name: 'webserver', level: process.env.WEBLE_LOG_LEVEL ?? 'info' }, pino.destination(2));

function fail(lines: string[]): never {
  process.stderr.write(`webserver: ${lines.join('\n  ')}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const hub = process.env.WEBLE_HUB;
  if (!hub) fail(['invalid environment:', 'env.WEBLE_HUB: required: the hub endpoint (UNIX socket path)']);
  let raw;
  try {
    raw = await receiveConfig();
  } catch (error) {
    fail([(error as Error).message]);
  }
  const parsed = parseWebConfig(raw.raw);
  if ('problems' in parsed)
    fail([`invalid configuration (${raw.origin}), ${parsed.problems.length} problem(s):`, ...parsed.problems]);
  let server: WebServer;
  try {
    server = await startWebServer({
      ...serverOptions(parsed.config, process.cwd()),
      hub,
      peerName: process.env.WEBLE_PEER_NAME ?? 'webserver',
      logger: log,
    });
  } catch (error) {
    log.error({ err: error }, 'cannot start');
    process.exit(1);
  }
  log.info({ url: server.url, ws: server.wsUrl }, 'listening');
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ reason }, 'stopping');
    setTimeout(() => process.exit(1), 1500).unref();
    server.close().then(
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
