/**
 * Alarms: the alarms that are active or wait for an acknowledgement (most severe first, coloured
 * by severity), each with Acknowledge (a comment asked for), and the history with filters. Live
 * from the `alarms` module's events; asked again after each return of the link.
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import {
  ALARM_LIST_EVENTS,
  attentionOrder,
  needsAck,
  stateLabel,
  type AlarmListing,
  type AlarmsModule,
} from '../alarm-types.js';
import { openAckDialog } from './ack-dialog.js';
import { alarmHistory } from './alarm-history.js';

export const alarmsView: View = (ctx, root) => {
  const status = h('p', { class: 'muted', id: 'alarms-status', 'aria-live': 'polite' });
  const body = h('tbody');
  let alarms: AlarmsModule | undefined;
  const module = async (): Promise<AlarmsModule> =>
    (alarms ??= await ctx.session.peers('supervision').require<AlarmsModule>('alarms'));
  const history = alarmHistory(module);

  const row = (a: AlarmListing): HTMLTableRowElement => {
    const ack = h('button', { type: 'button', class: 'action', 'aria-label': `Acknowledge ${a.id}` }, 'Acknowledge');
    ack.addEventListener(
      'click',
      () => void module().then((m) => openAckDialog(m, a, () => ctx.announce(`Acknowledged ${a.id}`))),
    );
    const since = a.state.startsWith('active-') ? a.raisedAt : a.clearedAt;
    return h(
      'tr',
      {
        'data-alarm': a.id,
        'data-severity': a.severity,
        'data-state': a.state,
        class: `alarm severity-row-${a.severity}`,
      },
      h('td', {}, h('span', { class: `severity severity-${a.severity}` }, a.severity)),
      h('th', { scope: 'row' }, a.id),
      h('td', { class: 'message' }, a.message),
      h('td', {}, a.key ?? a.address),
      h('td', { class: 'value' }, formatValue(a.value)),
      h('td', { class: 'state' }, stateLabel(a.state)),
      h('td', {}, since === null ? '—' : formatTime(new Date(since))),
      h('td', { class: 'actions' }, needsAck(a.state) ? ack : a.ack ? `by ${a.ack.by}` : ''),
    );
  };
  const load = async (): Promise<void> => {
    const list = await (await module()).listAlarms();
    const shown = attentionOrder(list);
    status.textContent = `${shown.length} of ${list.length} alarms need attention`;
    body.replaceChildren(
      ...(shown.length > 0
        ? shown.map(row)
        : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No active or unacknowledged alarms.'))]),
    );
  };

  root.append(
    h('h1', {}, 'Alarms'),
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'alarms' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Severity', 'Alarm', 'Message', 'Address', 'Value', 'State', 'Since', 'Action'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    history.element,
  );

  const reload = (): void => {
    void load().catch((e: Error) => (status.textContent = `Could not load the alarms: ${e.message}`));
    history.refresh();
  };
  reload();
  const subscribed = module().then((m) => {
    for (const event of ALARM_LIST_EVENTS) m.on(event, reload);
    return m;
  });
  const offReconnect = ctx.onReconnect(reload);
  return () => {
    offReconnect();
    void subscribed.then(
      (m) => {
        for (const event of ALARM_LIST_EVENTS) m.removeListener(event, reload);
      },
      () => undefined,
    );
  };
};
