// A caller and a server of the core modules, typed by the built package (ESM).
import type {
  GatewaysApi,
  RemoteGateways,
  RemoteSystem,
  ReplyOf,
  ServedGateways,
  ServedSystem,
  Quality,
  RemoteAccess,
  RemoteAlarms,
  RemoteAudit,
  RemoteLoggers,
  ServedAccess,
} from '@weble/api';

declare const gateways: RemoteGateways;
declare const system: RemoteSystem;

// A proxy's Promise resolves with the first result.
const value: Promise<unknown> = gateways.getLastValue('room.temperature');
const names: Promise<string[]> = gateways.listAddresses().then((list) => list.map((a) => a.key));
const states: Promise<string[]> = gateways.listGateways().then((list) => list.map((g) => g.state));
const tail: Promise<string[]> = system.logTail('driver_modbus_1', 50);
const tailDefault: Promise<string[]> = system.logTail('driver_modbus_1');
const done: Promise<undefined> = system.restart('logic_thermostat');
// The callback form answers every result.
gateways.getLastValue(
  'room.temperature',
  (error, last, date, quality) =>
    void [error, last, date satisfies Date | null | undefined, quality satisfies Quality | null | undefined],
);
// Events are typed by their name.
gateways.on(
  'newValue room.temperature',
  (address, _value, valueString, date, quality) =>
    void [address.length, valueString.length, date.getTime(), quality satisfies Quality],
);
system.on(
  'processState',
  (name, state) =>
    void [name.length, state satisfies 'up' | 'starting' | 'stopping' | 'stopped' | 'backoff' | 'failed'],
);
gateways.on('anything else', (...args) => void args);

// @ts-expect-error writeValue needs a value
void gateways.writeValue('room.temperature');
// @ts-expect-error logTail's count is a number
void system.logTail('x', 'ten');
// @ts-expect-error no such method
void gateways.readValues('x');
// A listener of a known event gets its arguments' types without annotations.
gateways.on(
  'valueQuality x',
  (address, quality, reason, date) =>
    void [address.length, quality satisfies Quality, reason satisfies string | null, date.getTime()],
);

// A server implements every method with its callback.
const reply: ReplyOf<GatewaysApi, 'getLastValue'> = (error, ...results) => void [error, results];
reply(null, 21.5, new Date(), 'good');
reply(new Error('no'));
// @ts-expect-error the quality is one of the four
reply(null, 21.5, new Date(), 'fine');
declare const served: ServedGateways;
served.readValue('x', (error, read) => void [error, read]);
// @ts-expect-error a server without its methods is not a ServedSystem
const partial: ServedSystem = { totalmem: (reply) => reply(null, 1) };
void [value, names, states, tail, tailDefault, done, partial];

// The loggers, alarms, audit and access modules, typed the same way.
declare const loggers: RemoteLoggers;
declare const alarms: RemoteAlarms;
declare const audit: RemoteAudit;
declare const access: RemoteAccess;
const listed: Promise<string[][]> = loggers.listLoggers().then((list) => list.map((l) => l.keys));
// A list of addresses answers a list of series.
const series: Promise<number[]> = loggers
  .history(['a', 'b'], { from: 0, to: 1, maxPoints: 100 })
  .then((all) => all.map((s) => s.points.length));
const csv: Promise<string> = loggers.exportCsv('a', { from: new Date(0) });
const acked: Promise<string | undefined> = alarms.ack('boiler.high', 'seen').then((record) => record.by);
const records: Promise<string[]> = alarms
  .history({ severity: ['critical', 'major'] })
  .then((r) => r.map((x) => x.state));
const entries: Promise<string[]> = audit.query({ action: 'write' }).then((list) => list.map((e) => e.target));
const role: Promise<'viewer' | 'operator' | 'admin' | null | undefined> = access.whoami().then((who) => who.role);
alarms.on('alarmRaised', (record) => void record.severity.length);
loggers.on('loggerStatus', (status) => void (status.state satisfies 'ok' | 'paused'));
// @ts-expect-error severities are the four
void alarms.history({ severity: 'high' });
// @ts-expect-error an audit action is one of five
void audit.query({ action: 'delete' });
const whoServed: ServedAccess = { whoami: (reply) => reply(null, { peer: 'x', kind: 'site', role: 'admin' }) };
void [listed, series, csv, acked, records, entries, role, whoServed];
