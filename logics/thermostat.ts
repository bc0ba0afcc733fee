/**
 * logic_thermostat: a proportional room thermostat. It follows the room temperature
 * (`room.temperature`) and the set point (`thermostat.setpoint`), and commands the heating valve
 * (`heating.valve`, 0-100 %): fully open below set point - band/2, closed above set point +
 * band/2, in between in proportion. It writes only when the command changes, and shares a
 * `thermostat` module whose `state()` tells what it last saw and did.
 *
 * The addresses are named by alias in site.yaml, so the same script drives a BACnet sensor and a
 * Modbus valve, or two virtual points.
 */
import { runLogic, type RemoteGateways } from '@weble/logic';

const TEMPERATURE = 'room.temperature';
const SETPOINT = 'thermostat.setpoint';
const VALVE = 'heating.valve';
/** Width of the proportional band, °C. */
const BAND = 2;

/** Valve opening (0-100 %, whole numbers) for a temperature and a set point. Pure. */
function valveFor(temperature: number, setpoint: number, band = BAND): number {
  const opening = ((setpoint + band / 2 - temperature) / band) * 100;
  return Math.round(Math.min(100, Math.max(0, opening)));
}

runLogic(async ({ peers, log }) => {
  const gateways = (await peers('supervision').require('gateways')) as unknown as RemoteGateways;
  const state = {
    temperature: undefined as number | undefined,
    setpoint: 21,
    valve: undefined as number | undefined,
    writes: 0,
    lastError: undefined as string | undefined,
  };

  const regulate = (): void => {
    if (state.temperature === undefined) return;
    const valve = valveFor(state.temperature, state.setpoint);
    if (valve === state.valve) return;
    state.valve = valve;
    gateways.writeValue(VALVE, valve).then(
      () => {
        state.writes++;
        state.lastError = undefined;
        log.info({ temperature: state.temperature, setpoint: state.setpoint, valve }, `valve ${valve} %`);
      },
      (error: Error) => {
        state.valve = undefined; // try again on the next reading
        state.lastError = error.message;
        log.warn({ err: error }, `cannot command the valve: ${error.message}`);
      },
    );
  };

  gateways.on(`newValue ${TEMPERATURE}`, (_address, value) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return void log.warn({ value }, 'temperature is not a number');
    state.temperature = value;
    regulate();
  });
  gateways.on(`newValue ${SETPOINT}`, (_address, value) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return void log.warn({ value }, 'set point is not a number');
    state.setpoint = value;
    regulate();
  });
  peers.share('thermostat', { state: (cb: (error: null, s: typeof state) => void) => cb(null, { ...state }) });

  // Values reported before the listeners were in place: start from the last known ones.
  const [temperature, setpoint] = await Promise.all([
    gateways.getLastValue(TEMPERATURE).catch(() => undefined),
    gateways.getLastValue(SETPOINT).catch(() => undefined),
  ]);
  if (typeof setpoint === 'number') state.setpoint = setpoint;
  if (typeof temperature === 'number' && state.temperature === undefined) state.temperature = temperature;
  regulate();
});
