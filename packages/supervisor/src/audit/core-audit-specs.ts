/** Which calls of the core modules the audit trail records, and what each entry says (docs/roles.md). */
import type { AddressBook } from '../modules/address-book.js';
import type { AuditSpecs, Describe } from './audited.js';

const text = (value: unknown): string =>
  value === undefined ? '?' : typeof value === 'string' ? value : JSON.stringify(value);

const config =
  (method: string): Describe =>
  (args) => ({ action: 'config', target: method, detail: args[0] ?? null });
const processControl: Describe = (args) => ({ action: 'process', target: text(args[0]) });

/** `gateways`: writes (with the value before) and changes of gateways and addresses. */
export function gatewaysAuditSpecs(book: AddressBook): AuditSpecs {
  return {
    writeValue: (args) => {
      const address = typeof args[0] === 'string' ? book.find(args[0]) : undefined;
      const previous = address ? (book.getLast(address.key)?.value ?? null) : null;
      return { action: 'write', target: address?.key ?? text(args[0]), detail: { previous, value: args[1] ?? null } };
    },
    ...Object.fromEntries(
      ['insertGateway', 'updateGateway', 'deleteGateway', 'insertAddress', 'updateAddress', 'deleteAddress'].map(
        (m) => [m, config(`gateways.${m}`)],
      ),
    ),
  };
}

/** `system`: process control and restoring a version of site.yaml. */
export const SYSTEM_AUDIT_SPECS: AuditSpecs = {
  start: processControl,
  stop: processControl,
  restart: processControl,
  configRestore: (args) => ({ action: 'config', target: 'system.configRestore', detail: { version: args[0] ?? null } }),
};

/** `loggers`: changes of loggers. */
export const LOGGERS_AUDIT_SPECS: AuditSpecs = Object.fromEntries(
  ['insertLogger', 'updateLogger', 'deleteLogger'].map((m) => [m, config(`loggers.${m}`)]),
);

/** Changes of alarm definitions (configuration); acknowledgements come from `alarmAcknowledged`. */
export const ALARMS_AUDIT_SPECS: AuditSpecs = Object.fromEntries(
  ['insertAlarm', 'updateAlarm', 'deleteAlarm'].map((m) => [m, config(`alarms.${m}`)]),
);
