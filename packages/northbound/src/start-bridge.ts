/**
 * A bridge on the mesh: joins as `northbound_<id>` through the hub, shares `northbound` with
 * `status()`, loads the site's addresses once `supervision` is reachable and runs the mode's bridge
 * (plain or Sparkplug B).
 * No process concerns here (config sources, signals, exit codes: see cli.ts).
 */
import { createPeers, type Peers } from '@weble/peers-core';
import type { Logger } from 'pino';
import type { BridgeConfig } from './config/schema.js';
import { HUB_PEER, NORTHBOUND_MODULE, northboundPeerName, type BridgeStatus } from './contract.js';
import { SiteLink } from './mesh/site-link.js';
import type { ModeBridge } from './mode.js';
import { PlainBridge } from './plain/plain-bridge.js';
import { publishFilter } from './selection.js';
import { SparkplugBridge } from './sparkplug/sparkplug-bridge.js';

/** Options of {@link startBridge}. */
export interface StartBridgeOptions {
  /** The hub's endpoint (`WEBLE_HUB`). */
  hub: string;
  /** Default `northbound_<id>`. */
  peerName?: string;
  /** Relative TLS paths are resolved against it (the directory of site.yaml). */
  baseDir: string;
  logger: Logger;
}

/** A running bridge. */
export interface RunningBridge {
  readonly peers: Peers;
  status(): BridgeStatus;
  stop(): Promise<void>;
}

type Callback = (error: Error | null, result?: unknown) => void;

/** Start a bridge for a validated configuration. */
export function startBridge(config: BridgeConfig, options: StartBridgeOptions): RunningBridge {
  const nb = config.northbound;
  const log = options.logger.child({ northbound: nb.id });
  const peers = createPeers(options.peerName ?? northboundPeerName(nb.id), {
    logger: log.child({ component: 'peers' }),
    meta: { role: 'northbound', id: nb.id },
  });
  // The bridge writes through the link, the link reports to the bridge.
  const writer = { write: (key: string, value: unknown) => link.write(key, value) };
  const bridge: ModeBridge =
    nb.mode === 'sparkplug'
      ? new SparkplugBridge(config, options.baseDir, writer, log)
      : new PlainBridge(config, options.baseDir, writer, log);
  const link: SiteLink = new SiteLink(peers, publishFilter(nb.publish.addresses, nb.publish.gateways), bridge);
  peers.share(NORTHBOUND_MODULE, { status: (cb: Callback) => cb(null, bridge.status()) });
  let started = false;
  peers.on(`connect ${HUB_PEER}`, () => {
    if (started) return;
    started = true;
    link.start().then(
      () => {
        bridge.listening = true;
        log.info('listening to the site');
      },
      (error: Error) => log.error({ err: error }, `cannot load the site's addresses: ${error.message}`),
    );
  });
  peers.connect(options.hub);
  bridge.start();
  let stopping: Promise<void> | undefined;
  return {
    peers,
    status: () => bridge.status(),
    stop(): Promise<void> {
      stopping ??= (async () => {
        link.stop();
        try {
          await bridge.stop();
        } finally {
          await peers.close();
        }
      })();
      return stopping;
    },
  };
}
