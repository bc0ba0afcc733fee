/**
 * The live alarm count in the header, on every page: a link to the alarms page saying how many
 * alarms are active and how many wait for an acknowledgement, coloured by the most severe of them;
 * kept current by the `alarms` module's events and asked again after each return of the link.
 */
import { h } from '../dom.js';
import { ALARM_LIST_EVENTS, alarmCount, countLabel, type AlarmsModule } from '../alarm-types.js';
import type { Peers } from '../peers.js';

/** The count's element (to put in the header) and its cleanup. */
export function alarmCountBadge(peers: Peers): { element: HTMLAnchorElement; refresh: () => void; stop: () => void } {
  const element = h('a', { href: '#/alarms', id: 'alarm-count', class: 'alarm-count', 'aria-live': 'polite' }, '…');
  let module: AlarmsModule | undefined;
  const refresh = (): void => {
    void (async () => {
      module ??= await peers('supervision').require<AlarmsModule>('alarms');
      const count = alarmCount(await module.listAlarms());
      element.textContent = countLabel(count);
      element.dataset.active = String(count.active);
      element.dataset.unacknowledged = String(count.unacknowledged);
      element.dataset.severity = count.worst ?? 'none';
      element.title = `Alarms: ${countLabel(count).toLowerCase()}`;
    })().catch((error: Error) => {
      element.textContent = 'Alarms ?';
      element.title = `The alarm count could not be read: ${error.message}`;
    });
  };
  const subscribed = peers('supervision')
    .require<AlarmsModule>('alarms')
    .then((m) => {
      module = m;
      for (const event of ALARM_LIST_EVENTS) m.on(event, refresh);
      return m;
    });
  refresh();
  return {
    element,
    refresh,
    stop: () =>
      void subscribed.then(
        (m) => {
          for (const event of ALARM_LIST_EVENTS) m.removeListener(event, refresh);
        },
        () => undefined,
      ),
  };
}
