/**
 * The supervisor's side of the northbound bridges (docs/northbound.md): one supervised child
 * `northbound_<id>` per enabled `northbound[]` entry, and each bridge's own status added to the
 * process list (`system` status, `weble-supervisor status`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  NORTHBOUND_CONFIG_TYPE,
  NORTHBOUND_MODULE,
  NorthboundEnv,
  northboundPeerName,
  type BridgeStatus,
} from '@weble/northbound/site';
import type { Peers } from '@weble/peers-core';
import type { SiteConfig } from './config/index.js';
import type { NorthboundEntry } from './config/schema.js';
import type { ChildSpec } from './process/supervised-child.js';
import type { ProcessInfo } from './status-client.js';
import { siteDataDir } from './service/service-dirs.js';

/** How long `system.list` waits for a bridge's status, ms. */
const STATUS_TIMEOUT_MS = 1000;

/** The child that runs one bridge. Its buffer defaults to `<hub socket dir>/northbound/<id>`. */
export function northboundSpec(entry: NorthboundEntry, config: SiteConfig, configPath: string): ChildSpec {
  const name = northboundPeerName(entry.id);
  const baseDir = dirname(configPath);
  const bufferDir =
    entry.buffer.dir !== undefined
      ? resolve(baseDir, entry.buffer.dir)
      : join(siteDataDir(config.hub.socket), 'northbound', entry.id);
  return {
    name,
    kind: 'northbound',
    command: process.execPath,
    args: [northboundBin()],
    env: { [NorthboundEnv.hub]: config.hub.socket, [NorthboundEnv.peerName]: name },
    // Relative TLS paths are relative to site.yaml.
    cwd: baseDir,
    message: { type: NORTHBOUND_CONFIG_TYPE, northbound: entry, site: config.federation?.site ?? 'site', bufferDir },
  };
}

/** The process list with each running bridge's status (`bridge`), asked of the bridges themselves. */
export async function withBridgeStatus<P extends ProcessInfo>(list: P[], hub: Peers): Promise<P[]> {
  return Promise.all(
    list.map(async (info) => {
      if (info.kind !== 'northbound' || info.state !== 'up') return info;
      try {
        const [status] = await hub(info.name).call(NORTHBOUND_MODULE, 'status', [], { timeoutMs: STATUS_TIMEOUT_MS });
        return { ...info, bridge: status as BridgeStatus };
      } catch {
        return info; // a bridge that does not answer in time is shown without its status
      }
    }),
  );
}

/** The `weble-northbound` bin of the installed @weble/northbound package. */
function northboundBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@weble/northbound/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin?.[
    'weble-northbound'
  ];
  if (!bin) throw new Error(`${manifest} has no weble-northbound bin`);
  return join(dirname(manifest), bin);
}
