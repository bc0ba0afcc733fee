// A caller and a server of the core modules, typed by the built package (ESM).
import type {
  GatewaysApi,
  RemoteGateways,
  RemoteSystem,
  ReplyOf,
  ServedGateways,
  ServedSystem,
  Quality,
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
