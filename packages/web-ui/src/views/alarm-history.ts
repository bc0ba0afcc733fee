/**
 * The alarm history on the alarms page: filters (time range, address, severity, state, event,
 * how many) and the records the gateway answers, newest first. The gateway's refusal of a
 * filter, or a history it cannot read, is shown as it comes.
 */
import { h } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import {
  ALARM_STATES,
  SEVERITIES,
  stateLabel,
  type AlarmQuery,
  type AlarmRecord,
  type AlarmsModule,
} from '../alarm-types.js';

const select = (id: string, label: string, options: readonly string[]): [HTMLElement, HTMLSelectElement] => [
  h('label', { for: id }, label),
  h('select', { id }, h('option', { value: '' }, 'any'), ...options.map((o) => h('option', { value: o }, o))),
];

/** The history section; `refresh` asks again with the filters as they are. */
export function alarmHistory(module: () => Promise<AlarmsModule>): { element: HTMLElement; refresh: () => void } {
  const from = h('input', { id: 'history-from', type: 'datetime-local' });
  const to = h('input', { id: 'history-to', type: 'datetime-local' });
  const address = h('input', { id: 'history-address', type: 'text', placeholder: 'key, name or alias' });
  const [severityLabel, severity] = select('history-severity', 'Severity', SEVERITIES);
  const [stateLabel_, state] = select('history-state', 'State', ALARM_STATES);
  const [eventLabel, event] = select('history-event', 'Event', ['raised', 'cleared', 'acknowledged']);
  const limit = h('input', { id: 'history-limit', type: 'number', min: 1, max: 5000, value: 200 });
  const status = h('p', { class: 'muted', id: 'history-status', 'aria-live': 'polite' });
  const body = h('tbody');
  const form = h(
    'form',
    { class: 'history-filters', 'aria-label': 'History filters' },
    h('label', { for: 'history-from' }, 'From'),
    from,
    h('label', { for: 'history-to' }, 'To'),
    to,
    h('label', { for: 'history-address' }, 'Address'),
    address,
    severityLabel,
    severity,
    stateLabel_,
    state,
    eventLabel,
    event,
    h('label', { for: 'history-limit' }, 'At most'),
    limit,
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );

  const query = (): AlarmQuery => {
    const q: AlarmQuery = { limit: Number(limit.value) || 200 };
    if (from.value) q.from = new Date(from.value).getTime();
    if (to.value) q.to = new Date(to.value).getTime();
    if (address.value.trim()) q.address = address.value.trim();
    if (severity.value) q.severity = severity.value as NonNullable<AlarmQuery['severity']>;
    if (state.value) q.state = state.value as NonNullable<AlarmQuery['state']>;
    if (event.value) q.event = event.value as NonNullable<AlarmQuery['event']>;
    return q;
  };
  const row = (r: AlarmRecord): HTMLTableRowElement =>
    h(
      'tr',
      { 'data-event': r.event, 'data-severity': r.severity },
      h('td', {}, formatTime(new Date(r.at))),
      h('th', { scope: 'row' }, r.id),
      h('td', {}, r.event),
      h('td', {}, stateLabel(r.state)),
      h('td', {}, h('span', { class: `severity severity-${r.severity}` }, r.severity)),
      h('td', {}, r.address),
      h('td', {}, r.value === undefined ? '' : formatValue(r.value)),
      h('td', {}, r.by ?? ''),
      h('td', { class: 'comment' }, r.comment ?? ''),
    );
  const refresh = (): void => {
    void module()
      .then((m) => m.history(query()))
      .then((records) => {
        status.textContent = `${records.length} records`;
        body.replaceChildren(...records.map(row));
      })
      .catch((e: Error) => (status.textContent = `Could not read the history: ${e.message}`));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    refresh();
  });
  const element = h(
    'section',
    { 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    form,
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'alarm-history' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Time', 'Alarm', 'Event', 'State', 'Severity', 'Address', 'Value', 'By', 'Comment'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  return { element, refresh };
}
