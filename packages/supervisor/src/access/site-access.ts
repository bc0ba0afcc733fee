/**
 * The core modules as the mesh sees them (docs/roles.md): each shared through its facade, behind
 * the share filter of the policy table, with its audited calls wrapped; plus `access` (whoami) and
 * `audit`. The users and their roles are the supervisor's own (site.yaml), never the client's.
 */
import { join } from 'node:path';
import type { Peers } from '@weble/peers-core';
import type { Logger } from 'pino';
import { AuditStore } from '../audit/audit-store.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { audited, recordRefusal, type AuditSpecs } from '../audit/audited.js';
import {
  ALARMS_AUDIT_SPECS,
  gatewaysAuditSpecs,
  LOGGERS_AUDIT_SPECS,
  SYSTEM_AUDIT_SPECS,
} from '../audit/core-audit-specs.js';
import { ALARMS_METHODS, ALARMS_MODULE } from '../alarms/contract.js';
import type { AlarmsModule } from '../alarms/alarms-module.js';
import { LOGGERS_MODULE } from '../loggers/contract.js';
import type { LoggersModule } from '../loggers/loggers-module.js';
import type { GatewaysModule } from '../modules/gateways-module.js';
import { facade, GATEWAYS_METHODS, LOGGERS_METHODS, SYSTEM_METHODS } from '../modules/module-facade.js';
import type { SystemModule } from '../modules/system-module.js';
import { accessGuard, accessModule } from './access-guard.js';
import { UserDirectory, type UserRole } from './callers.js';
import { siteDataDir } from '../service/service-dirs.js';

/** Where the audit trail lives: `audit/audit.sqlite` in the site's data directory (beside the hub socket, or `$STATE_DIRECTORY`). */
export function auditDirOf(socket: string): string {
  return join(siteDataDir(socket), 'audit');
}

export interface SiteAccess {
  users: UserDirectory;
  trail: AuditTrail;
  /** The share filter of another module under the same table (`federation`). */
  guard(module: string): ReturnType<typeof accessGuard>;
  close(): void;
}

export interface CoreModules {
  gateways: GatewaysModule;
  system: SystemModule;
  loggers: LoggersModule;
  alarms: AlarmsModule;
  routes: { list(): string[] };
}

export function shareCoreModules(
  hub: Peers,
  users: readonly UserRole[],
  socket: string,
  core: CoreModules,
  logger: Logger,
): SiteAccess {
  const directory = new UserDirectory(users);
  const store = new AuditStore(auditDirOf(socket), logger.child({ component: 'audit' }));
  const trail = new AuditTrail(store, directory);
  const caller = (): string | undefined => hub.currentCaller();
  const guard = (module: string, specs?: AuditSpecs): ReturnType<typeof accessGuard> =>
    accessGuard(module, directory, (peer, method, reason) => recordRefusal(trail, module, specs, peer, method, reason));
  const share = (module: string, shared: object, specs?: AuditSpecs): void => {
    hub.share(module, specs ? audited(shared, specs, trail, caller) : shared, guard(module, specs));
  };
  const gatewaySpecs = gatewaysAuditSpecs(core.gateways.book);
  share('gateways', facade(core.gateways, GATEWAYS_METHODS), gatewaySpecs);
  share('system', facade(core.system, SYSTEM_METHODS), SYSTEM_AUDIT_SPECS);
  share(LOGGERS_MODULE, facade(core.loggers, LOGGERS_METHODS), LOGGERS_AUDIT_SPECS);
  // Alarm definitions are configuration; an acknowledgement is recorded from the module's event.
  share(ALARMS_MODULE, facade(core.alarms, ALARMS_METHODS), ALARMS_AUDIT_SPECS);
  trail.followAlarms(core.alarms);
  share('routes', { list: (cb: (e: null, r: string[]) => void) => cb(null, core.routes.list()) });
  share('access', accessModule(directory, caller));
  share('audit', trail.module());
  return { users: directory, trail, guard: (module) => guard(module), close: () => store.close() };
}
