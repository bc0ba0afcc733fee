/**
 * logic_temperature-alarm: raises `alarm.temperature` (a boolean address) when the room
 * temperature stays above a limit for a while, and clears it once the temperature is back under
 * the limit minus a hysteresis. It also emits `alarm raised` / `alarm cleared` on the mesh, so any
 * peer (a web page, a remote integration) can listen: `peers('logic_temperature-alarm').on('alarm raised', ...)`.
 *
 * Shows the parts of the contract a thermostat does not need: timers tied to `signal`, events of
 * the logic's own, and a clean-up returned from main.
 */
import { runLogic, type RemoteGateways } from '@weble/logic';

const TEMPERATURE = 'room.temperature';
const ALARM = 'alarm.temperature';
/** °C */
const LIMIT = Number(process.env.ALARM_LIMIT ?? 25);
const HYSTERESIS = 0.5;
/** How long the temperature must stay above the limit, ms. */
const HOLD_MS = Number(process.env.ALARM_HOLD_MS ?? 3_000);

runLogic(async ({ peers, log, signal }) => {
  const gateways = (await peers('supervision').require('gateways')) as unknown as RemoteGateways;
  let raised = false;
  let pending: NodeJS.Timeout | undefined;

  const set = (on: boolean, temperature: number): void => {
    raised = on;
    gateways
      .writeValue(ALARM, on)
      .catch((error: Error) => log.warn({ err: error }, `cannot set ${ALARM}: ${error.message}`));
    peers.peerEvents().emit(on ? 'alarm raised' : 'alarm cleared', { temperature, limit: LIMIT, at: new Date() });
    log.info({ temperature, limit: LIMIT }, on ? 'alarm raised' : 'alarm cleared');
  };

  gateways.on(`newValue ${TEMPERATURE}`, (_address, value) => {
    if (typeof value !== 'number' || signal.aborted) return;
    if (value > LIMIT) {
      if (!raised && pending === undefined)
        pending = setTimeout(() => ((pending = undefined), set(true, value)), HOLD_MS);
    } else {
      clearTimeout(pending);
      pending = undefined;
      if (raised && value < LIMIT - HYSTERESIS) set(false, value);
    }
  });
  return () => clearTimeout(pending);
});
