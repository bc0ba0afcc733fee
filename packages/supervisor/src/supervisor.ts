/**
 * The running supervisor: the hub `supervision` on a UNIX socket (mode 0600), the core modules
 * (`gateways`, `system`, `routes`), and one supervised child per gateway (`driver_<type>_<id>`)
 * and per logic (`logic_<name>`). A child is up when its peer joins the mesh.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { CONFIG_MESSAGE_TYPE, VALIDATED_BY_FIELD } from '@weble/driver-kit';
import createPeers, { federationModule } from '@weble/peers-core';
import type { Logger } from 'pino';
import {
  defaultDriverCatalog,
  federationOptions,
  loadSiteConfig,
  requireDriver,
  type DriverCatalog,
  type SiteConfig,
} from './config/index.js';
import { checkAddress, validateGateway } from './config/runtime-entries.js';
import { WEB_SERVER_PEER, webSessionGrant } from '@weble/web/site';
import type { AddressEntry } from './modules/address-book.js';
import { hubRemoteEmit } from './modules/core-events.js';
import { driverPeerName, GatewaysModule, type GatewayEntry } from './modules/gateways-module.js';
import { RoutesEngine } from './modules/routes-engine.js';
import { SystemModule } from './modules/system-module.js';
import { ProcessManager } from './process/process-manager.js';
import { DRIVER_MALLOC_ENV, WEB_SERVER_MALLOC_ENV } from './process/malloc-env.js';
import { RotatingLog } from './process/rotating-log.js';
import type { ChildSettings, ChildSpec } from './process/supervised-child.js';
import { logicArgs } from './logic-command.js';
import { northboundSpec, withBridgeStatus } from './northbound-children.js';
import { planReload } from './reload-plan.js';
import { startLoggers, type HubLoggers } from './loggers/hub-loggers.js';
import { startAlarms, type HubAlarms } from './alarms/hub-alarms.js';
import { putEntry, removeWhere, SiteFile, type SiteEntry } from './config/site-file.js';
import { listVersions, restoreVersion } from './config/site-versions.js';

import { shareCoreModules } from './access/site-access.js';
import { dependentsOf } from './process/process-dependents.js';
import { siteDataDir } from './service/service-dirs.js';

export interface Supervisor {
  /** Stop every child (in parallel, bounded by the stop timeout), close the hub, remove the socket. */
  stop(): Promise<void>;
  /** Re-read site.yaml and restart only the gateways that changed (also on SIGHUP). */
  reload(): Promise<{ ok: boolean; problems: string[] }>;
}

export interface SupervisorOptions {
  /** Absolute path of the site.yaml the config came from (SIGHUP re-reads it). */
  configPath: string;
  logger: Logger;
  /** Where driver packages are found; default: resolved from the site's directory and ours. */
  catalog?: DriverCatalog;
  /**
   * Give the logger one more destination: the supervisor's own rotating `supervisor.log` in the
   * site's log directory, read by `system.logTail('supervisor')` and the UI's Logs page.
   */
  addLogStream?(stream: { write(line: string): void }): void;
}

/** The name of the supervisor's own log in `system.logTail` and the UI. */
export const SUPERVISOR_LOG = 'supervisor';

export async function runSupervisor(config: SiteConfig, options: SupervisorOptions): Promise<Supervisor> {
  const { logger, configPath } = options;
  const catalog = options.catalog ?? defaultDriverCatalog(dirname(configPath));
  const socket = config.hub.socket;
  const hub = createPeers('supervision', {
    logger: logger.child({ component: 'peers' }),
    // Only the web server speaks for names behind its link, and only for web sessions' names.
    mayAnnounce: webSessionGrant,
    remoteEmit: hubRemoteEmit,
    ...(config.federation ? { site: config.federation.site } : {}),
  });
  hub.on('error', (peer: string, error: Error) => logger.warn({ peer, err: error }, error.message));

  const settings: ChildSettings = {
    restart: config.supervision.restart,
    startTimeoutMs: config.supervision.startTimeoutMs,
    stopTimeoutMs: config.supervision.stopTimeoutMs,
    logs: config.supervision.logs,
  };
  const manager = new ProcessManager(settings, logger);
  const ownLog = new RotatingLog(config.supervision.logs, SUPERVISOR_LOG);
  options.addLogStream?.({
    write(line) {
      try {
        ownLog.write(line);
      } catch {
        // A full or read-only disk: the line still went to stdout (the journal); the file misses it.
      }
    },
  });
  let current = config;

  const codeCacheDir = join(siteDataDir(socket), 'code-cache');
  const gatewaySpec = (gateway: GatewayEntry, addresses: AddressEntry[]): ChildSpec => {
    const driver = requireDriver(catalog, gateway.type, gateway.package);
    return {
      name: driverPeerName(gateway),
      kind: 'driver',
      command: process.execPath,
      args: [driver.bin],
      // The bins' V8 code cache (scripts/build/driver-bin-loader.cjs): a restart compiles less.
      env: {
        WEBLE_HUB: socket,
        WEBLE_PEER_NAME: driverPeerName(gateway),
        WEBLE_CODE_CACHE_DIR: codeCacheDir,
        ...DRIVER_MALLOC_ENV,
      },
      // Relative paths in a gateway's config (a serial port link, a file) are relative to site.yaml.
      cwd: dirname(configPath),
      message: {
        type: CONFIG_MESSAGE_TYPE,
        gateway: { id: gateway.id, type: gateway.type, name: gateway.name, config: gateway.config },
        addresses: addresses.map((a) => ({ key: a.key, name: a.name, alias: a.alias, point: a.point })),
        // The config and points are the output of this package's schemas: the driver need not load them.
        ...(driver.schemaId === undefined ? {} : { [VALIDATED_BY_FIELD]: driver.schemaId }),
      },
    };
  };

  // Runtime changes go back to site.yaml (comments kept, atomic, versions kept); `current` follows.
  const siteFile = new SiteFile(configPath);
  const keep = async (change: Parameters<SiteFile['change']>[0]): Promise<void> => {
    await siteFile.change(change);
    const loaded = await loadSiteConfig(configPath, catalog);
    if (loaded.ok) current = loaded.config;
    else logger.error({ problems: loaded.problems }, 'site.yaml after a runtime change has problems');
  };
  const written = (gateway: GatewayEntry): SiteEntry => ({
    id: gateway.id,
    type: gateway.type,
    package: gateway.package,
    name: gateway.name,
    enabled: gateway.enabled === false ? false : undefined,
    config: gateway.config ?? {},
  });

  const gateways: GatewaysModule = new GatewaysModule(hub, config.gateways, config.addresses, {
    insertGateway: async (gateway) => {
      const g = validateGateway(catalog, gateway);
      gateways.setGateway(g, [], 'gatewayInserted');
      if (g.enabled) await addGatewayProcess(g);
      await keep((doc) => putEntry(doc, 'gateways', g.id, written(gateway)));
    },
    updateGateway: async (gateway) => {
      const g = validateGateway(catalog, gateway);
      gateways.setGateway(g, undefined, 'gatewayUpdated');
      await manager.remove(driverPeerName(g));
      if (g.enabled) await addGatewayProcess(g);
      await keep((doc) => putEntry(doc, 'gateways', g.id, written(gateway)));
    },
    deleteBlocked: (keys) => loggers.deleteBlocked(keys) ?? alarms.module.deleteBlocked(keys),
    saveAddress: (key, address) => keep((doc) => putEntry(doc, 'addresses', key, address ? { ...address } : undefined)),
    checkAddress: (address, gateway) => checkAddress(catalog, address, gateway),
    describePoint: (address, gateway) => catalog.get(gateway.type, gateway.package)?.describe?.(address.point),
    readdress: async (gateway) => {
      await manager.remove(driverPeerName(gateway));
      if (gateway.enabled) await addGatewayProcess(gateway);
    },
    observeValue: (key, value, date, quality) => {
      loggers.onValue(key, value, date, quality);
      alarms.module.observe(key, value, quality);
    },
    observeState: (id, state) => alarms.module.observeGateway(id, state),
    refreshMs: (address, gateway) =>
      catalog.get(gateway.type, gateway.package)?.refreshMs?.(address.point, gateway.config),
    unanswered: (gateway, keys) =>
      logger.warn(
        { gateway: gateway.id, keys: keys.slice(0, 5) },
        `${driverPeerName(gateway)} did not say in time when it last read ${keys.length} address(es): they are stale`,
      ),
    deleteGateway: async (id, options) => {
      const g = current.gateways.find((x) => String(x.id) === String(id));
      const name = g ? driverPeerName(g) : manager.names().find((n) => n.endsWith(`_${id}`));
      if (name) await manager.remove(name);
      gateways.removeGateway(id);
      if (options?.keep === false) return;
      await keep((doc) => {
        putEntry(doc, 'gateways', id, undefined);
        removeWhere(doc, 'addresses', 'gateway', id);
      });
    },
  });
  const loggers: HubLoggers = startLoggers({
    hub,
    socket,
    book: gateways.book,
    manager,
    history: config.history,
    definitions: config.loggers,
    logger,
    persist: (name, definition) =>
      keep((doc) => putEntry(doc, 'loggers', name, definition ? { ...definition } : undefined)),
  });
  const alarms: HubAlarms = startAlarms({
    hub,
    book: gateways.book,
    history: config.history,
    definitions: config.alarms,
    logger,
    persist: (id, alarm) => keep((doc) => putEntry(doc, 'alarms', id, alarm ? { ...alarm } : undefined)),
  });
  for (const event of ['addressInserted', 'addressUpdated', 'addressDeleted']) {
    gateways.on(event, () => {
      loggers.addressesChanged();
      alarms.module.addressesChanged();
    });
  }
  const routes = new RoutesEngine(gateways, config.routes);
  const system = new SystemModule({
    list: async () => withBridgeStatus(manager.list(), hub),
    ownLog: { name: SUPERVISOR_LOG, file: ownLog.path },
    restart: (name) => manager.restart(name),
    stop: (name) => manager.stop(name),
    start: (name) => manager.start(name),
    onState: (listener) => manager.onState(listener),
    configVersions: async () => listVersions(configPath).map(({ id, savedAt, bytes }) => ({ id, savedAt, bytes })),
    restoreConfig: async (id) => {
      await siteFile.exclusive(async () => void restoreVersion(configPath, id));
      return reload();
    },
    dependents: async (name) =>
      dependentsOf(name, { config: current, book: gateways.book, connected: () => hub.connectedPeers() }),
    currentCaller: () => hub.currentCaller(),
  });

  const addGatewayProcess = async (gateway: GatewayEntry): Promise<void> => {
    registerGatewayProcess(gateway);
    await manager.startAndWait(driverPeerName(gateway));
  };
  const registerGatewayProcess = (gateway: GatewayEntry): void => {
    const child = manager.add(gatewaySpec(gateway, gateways.book.ofGateway(gateway.id)));
    child.on('state', (state: string) => {
      if (state === 'up') return;
      if (state === 'failed') gateways.setState(gateway.id, 'failed', child.stderrTail().slice(-3).join('\n'), true);
      else if (state !== 'starting') gateways.setState(gateway.id, 'offline', `driver process ${state}`, true);
    });
  };

  // Every call of a core module passes the policy table (docs/roles.md) and writes, process
  // control and configuration changes are recorded in the audit trail (alarm acknowledgements from
  // the alarms module's events).
  const access = shareCoreModules(
    hub,
    config.users,
    socket,
    { gateways, system, loggers: loggers.module, alarms: alarms.module, routes },
    logger,
  );
  hub.on('connect', (name: string) => manager.markUp(name));
  mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
  await hub.listen({ path: socket, mode: 0o600 });
  logger.info({ socket }, 'supervision listening');
  if (config.federation) {
    // Site links (docs/federation.md): peers of other sites are `name@site` from here on.
    const federation = await hub.federate(
      federationOptions(config.federation, join(siteDataDir(socket), 'federation-tls')),
    );
    // Every supervisor answers `handle/ping` (a health check other sites can run or select with).
    federation.handle.ping = (payload, done) =>
      done(null, { site: federation.site, status: federation.status(), payload });
    // Local peers only: other sites reach this site's actions through the federation itself.
    hub.share('federation', federationModule(federation, hub), access.guard('federation'));
    federation.on('status::*', (change) =>
      logger.info({ site: federation.site, ...change }, `federation ${change.to}`),
    );
    logger.info({ site: federation.site, port: federation.port }, 'federation up');
  }

  // Drivers are independent of each other: start them a few at a time; logics start after them.
  const drivers = config.gateways.filter((g) => g.enabled);
  for (const gateway of drivers) registerGatewayProcess(gateway);
  await manager.startMany(drivers.map(driverPeerName), Math.max(2, availableParallelism() * 2));
  for (const logic of config.logics) {
    if (!logic.enabled) continue;
    manager.add({
      name: `logic_${logic.name}`,
      kind: 'logic',
      command: process.execPath,
      args: logicArgs(logic.file),
      env: { WEBLE_HUB: socket, WEBLE_PEER_NAME: `logic_${logic.name}` },
      cwd: dirname(logic.file),
    });
    await manager.startAndWait(`logic_${logic.name}`);
  }

  // Northbound bridges (docs/northbound.md) start once the site's values flow.
  for (const entry of config.northbound) {
    if (!entry.enabled) continue;
    const spec = northboundSpec(entry, config, configPath);
    manager.add(spec);
    await manager.startAndWait(spec.name);
  }

  // The web server (`webserver`, the door for browsers and remote apps) starts last, stops first.
  if (config.http) {
    manager.add({
      name: WEB_SERVER_PEER,
      kind: 'web',
      command: process.execPath,
      args: [webServerBin()],
      env: { WEBLE_HUB: socket, WEBLE_PEER_NAME: WEB_SERVER_PEER, ...WEB_SERVER_MALLOC_ENV },
      message: {
        type: CONFIG_MESSAGE_TYPE,
        http: config.http,
        users: config.users,
        tlsDir: join(siteDataDir(socket), 'tls'),
        sessionFile: join(siteDataDir(socket), 'web-sessions.jsonl'),
      },
      cwd: dirname(configPath),
    });
    await manager.startAndWait(WEB_SERVER_PEER);
  }

  alarms.started();

  // A reload waits for a runtime change being written (and the other way round): neither is lost.
  const reload = (): Promise<{ ok: boolean; problems: string[] }> => siteFile.exclusive(reloadNow);
  const reloadNow = async (): Promise<{ ok: boolean; problems: string[] }> => {
    const loaded = await loadSiteConfig(configPath, catalog);
    if (!loaded.ok) {
      logger.error({ problems: loaded.problems }, 'site.yaml has problems; nothing changed');
      return { ok: false, problems: loaded.problems };
    }
    const plan = planReload(current, loaded.config);
    current = loaded.config;
    access.users.set(current.users);
    for (const id of plan.removed) await gateways.deleteGatewayAsync(id);
    for (const g of plan.changed) {
      gateways.setGateway(
        g,
        loaded.config.addresses.filter((a) => String(a.gateway) === String(g.id)),
        'gatewayUpdated',
      );
      await manager.remove(driverPeerName(g));
      if (g.enabled) await addGatewayProcess(g);
    }
    for (const g of plan.added) {
      gateways.setGateway(
        g,
        loaded.config.addresses.filter((a) => String(a.gateway) === String(g.id)),
        'gatewayInserted',
      );
      if (g.enabled) await addGatewayProcess(g);
    }
    alarms.module.reload(loaded.config.alarms);
    logger.info(
      { added: plan.added.length, changed: plan.changed.length, removed: plan.removed.length },
      'site.yaml reloaded',
    );
    return { ok: true, problems: [] };
  };
  const onHup = (): void => void reload();
  process.on('SIGHUP', onHup);

  let stopping: Promise<void> | undefined;
  return {
    reload,
    stop(): Promise<void> {
      stopping ??= (async () => {
        process.removeListener('SIGHUP', onHup);
        await loggers.drain(2_000);
        await alarms.close(2_000);
        await manager.stopAll();
        gateways.close();
        await hub.close();
        access.close();
        logger.info('supervisor stopped');
      })();
      return stopping;
    },
  };
}

/** The `weble-web` bin of the installed @weble/web package. */
function webServerBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@weble/web/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin?.['weble-web'];
  if (!bin) throw new Error(`${manifest} has no weble-web bin`);
  return join(dirname(manifest), bin);
}
