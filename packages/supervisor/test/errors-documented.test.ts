/**
 * Every code of the supervisor's error classes is in a table of its documentation: the config,
 * CLI, install-service, roles, system, audit and store codes in this package's README, the loggers' and alarms' codes in
 * docs/loggers.md and docs/alarms.md, the gateways module's in docs/gateways.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlarmsCode } from '../src/alarms/errors.js';
import { AUDIT_STORE_CODES } from '../src/audit/audit-store.js';
import { AUDIT_CODES } from '../src/audit/audit-trail.js';
import { ConfigCode } from '../src/config/errors.js';
import { LoggersCode } from '../src/loggers/errors.js';
import { STORE_UNWRITABLE } from '../src/loggers/store/sample-db.js';
import { INSTALL_SERVICE_CODES } from '../src/service/install-service.js';
import { GATEWAYS_CODES } from '../src/modules/gateways-contract.js';
import { SYSTEM_CODES } from '../src/modules/system-module.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const undocumented = (codes: readonly string[], text: string): string[] =>
  codes.filter((code) => !text.includes(`| \`${code}\` |`));

describe('error codes', () => {
  it('every code of the config, CLI, install-service, system, audit and store errors is in the package README', () => {
    const readme = read('../README.md');
    const codes = [
      ...Object.values(ConfigCode),
      'USAGE',
      ...INSTALL_SERVICE_CODES,
      ...SYSTEM_CODES,
      ...AUDIT_CODES,
      ...AUDIT_STORE_CODES,
      STORE_UNWRITABLE,
    ];
    expect(undocumented(codes, readme)).toEqual([]);
  });

  it('every code of the gateways, loggers and alarms modules is in their docs', () => {
    expect(undocumented(GATEWAYS_CODES, read('../../../docs/gateways.md'))).toEqual([]);
    expect(undocumented(Object.values(LoggersCode), read('../../../docs/loggers.md') + read('../README.md'))).toEqual(
      [],
    );
    expect(undocumented(Object.values(AlarmsCode), read('../../../docs/alarms.md'))).toEqual([]);
  });
});
