/**
 * The one policy table of the site (docs/roles.md): for each `module.method` of the core modules
 * on `supervision`, the least role a web session needs. `module.*` is a module's requiring and
 * event subscriptions (the share filter is asked without a method then). A method that is not in
 * the table is refused to web sessions and to other sites (deny by default); the site's own
 * processes on the 0600 socket are not limited by it.
 */
import type { Role } from '@weble/web/site';

/** Reads, events and history. */
const VIEW: Role = 'viewer';
/** + writes and alarm acknowledgement. */
const OPERATE: Role = 'operator';
/** + process control, configuration, users and the audit trail. */
const ADMIN: Role = 'admin';

/** Only the `webserver` peer (it reports logins); nobody else, whatever their role. */
export const WEB_SERVER_ONLY = 'webserver-only' as const;

export type Requirement = Role | typeof WEB_SERVER_ONLY;

export const POLICY: Readonly<Record<string, Requirement>> = {
  'gateways.*': VIEW,
  'gateways.listGateways': VIEW,
  'gateways.getGateway': VIEW,
  'gateways.listAddresses': VIEW,
  'gateways.getAddress': VIEW,
  'gateways.readValue': VIEW,
  'gateways.getLastValue': VIEW,
  'gateways.writeValue': OPERATE,
  'gateways.insertGateway': ADMIN,
  'gateways.updateGateway': ADMIN,
  'gateways.deleteGateway': ADMIN,
  'gateways.insertAddress': ADMIN,
  'gateways.updateAddress': ADMIN,
  'gateways.deleteAddress': ADMIN,

  'system.*': VIEW,
  'system.totalmem': VIEW,
  'system.freemem': VIEW,
  'system.uptime': VIEW,
  'system.loadavg': VIEW,
  'system.cpus': VIEW,
  'system.versions': VIEW,
  'system.list': VIEW,
  'system.processes': VIEW,
  'system.logTail': VIEW,
  'system.dependents': VIEW,
  'system.configHistory': ADMIN,
  'system.restart': ADMIN,
  'system.stop': ADMIN,
  'system.start': ADMIN,
  'system.configRestore': ADMIN,

  'loggers.*': VIEW,
  'loggers.listLoggers': VIEW,
  'loggers.getLogger': VIEW,
  'loggers.history': VIEW,
  'loggers.exportCsv': VIEW,
  'loggers.status': VIEW,
  'loggers.insertLogger': ADMIN,
  'loggers.updateLogger': ADMIN,
  'loggers.deleteLogger': ADMIN,

  // The `alarms` module (built alongside): lists and history for all, acknowledgement for operators.
  'alarms.*': VIEW,
  'alarms.listAlarms': VIEW,
  'alarms.history': VIEW,
  'alarms.ack': OPERATE,
  'alarms.insertAlarm': ADMIN,
  'alarms.updateAlarm': ADMIN,
  'alarms.deleteAlarm': ADMIN,

  'routes.*': VIEW,
  'routes.list': VIEW,

  'access.*': VIEW,
  'access.whoami': VIEW,

  'audit.*': ADMIN,
  'audit.query': ADMIN,
  'audit.exportCsv': ADMIN,
  'audit.status': ADMIN,
  'audit.reportLogin': WEB_SERVER_ONLY,

  // Site links, actions and membership: administration.
  'federation.*': ADMIN,
};

/**
 * Modules other federated sites (`name@site`) may use, as far as the table allows an `operator`
 * (`remoteWebSession` callers: a `viewer`). `system`, `audit`, `access` and `federation` stay local.
 */
export const FEDERATED_MODULES: ReadonlySet<string> = new Set(['gateways', 'loggers', 'alarms', 'routes']);

/** The requirement of `module.method` (`module.*` without a method), or undefined: not in the table. */
export function requirementOf(module: string, method: string | undefined): Requirement | undefined {
  const exact = POLICY[`${module}.${method ?? '*'}`];
  if (exact !== undefined) return exact;
  // An admin-only module (`federation`) covers its methods with its `*` entry.
  const whole = POLICY[`${module}.*`];
  return method !== undefined && whole === ADMIN ? whole : undefined;
}
