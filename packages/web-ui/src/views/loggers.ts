/**
 * Loggers: every history logger (name, addresses, how it records, retention, the addresses it
 * records now), a form to create or edit one, and delete; live from `loggerInserted`,
 * `loggerUpdated` and `loggerDeleted`. The gateway's refusals (an address pattern that matches
 * nothing, a negative retention) are shown as they come.
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { can, ifAllowed } from '../access.js';
import type { LoggerListing, LoggersModule } from '../peers.js';

const EVENTS = ['loggerInserted', 'loggerUpdated', 'loggerDeleted'];

/** How a logger records, in words. */
export function describeRecording(l: Pick<LoggerListing, 'onChange' | 'sampleMs'>): string {
  const parts: string[] = [];
  if (l.onChange !== false) {
    const c = l.onChange;
    parts.push(
      [
        'on change',
        c.deadband !== undefined ? `± ${c.deadband}` : '',
        c.deadbandPercent !== undefined ? `± ${c.deadbandPercent} %` : '',
        c.minIntervalMs ? `at most every ${c.minIntervalMs} ms` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  if (l.sampleMs !== undefined) parts.push(`every ${l.sampleMs} ms`);
  return parts.join(', ');
}

const numberOrUndefined = (input: HTMLInputElement): number | undefined =>
  input.value.trim() === '' ? undefined : Number(input.value);

export const loggersView: View = (ctx, root) => {
  const status = h('p', { class: 'muted', id: 'loggers-status', 'aria-live': 'polite' });
  const body = h('tbody');
  const field = (id: string, label: string, attrs: Record<string, string> = {}): [HTMLElement, HTMLInputElement] => {
    const input = h('input', { id, ...attrs });
    return [h('label', { for: id }, label), input];
  };
  const [nameLabel, name] = field('logger-name', 'Name', { required: 'true', pattern: '[A-Za-z0-9_-]{1,64}' });
  const [addressesLabel, addresses] = field(
    'logger-addresses',
    'Addresses (keys, names or patterns, comma separated)',
    { required: 'true' },
  );
  const [deadbandLabel, deadband] = field('logger-deadband', 'Deadband', { type: 'number', step: 'any', min: '0' });
  const [intervalLabel, interval] = field('logger-interval', 'Minimum interval (ms)', { type: 'number', min: '0' });
  const [sampleLabel, sample] = field('logger-sample', 'Sample every (ms)', { type: 'number', min: '100' });
  const [daysLabel, days] = field('logger-days', 'Keep (days)', { type: 'number', step: 'any', value: '365' });
  const enabled = h('input', { id: 'logger-enabled', type: 'checkbox', checked: true });
  const submit = h('button', { type: 'submit' }, 'Save logger');
  const clear = h('button', { type: 'reset', class: 'action' }, 'New');
  const error = h('p', { class: 'error', id: 'logger-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'logger-form', 'aria-label': 'Logger' },
    nameLabel,
    name,
    addressesLabel,
    addresses,
    deadbandLabel,
    deadband,
    intervalLabel,
    interval,
    sampleLabel,
    sample,
    daysLabel,
    days,
    h('label', { class: 'inline' }, enabled, ' Enabled'),
    h('div', { class: 'form-buttons' }, submit, clear),
    error,
  );
  root.append(
    h('h1', {}, 'Loggers'),
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'loggers' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Addresses', 'Records', 'Keep', 'Recording now', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    // Loggers are configuration: admins only (the gateway refuses the others anyway).
    ...(can(ctx.role, 'configure') ? [h('h2', {}, 'Create or edit a logger'), form] : []),
  );

  let loggers: LoggersModule | undefined;
  const module = async (): Promise<LoggersModule> =>
    (loggers ??= await ctx.session.peers('supervision').require<LoggersModule>('loggers'));

  const edit = (l: LoggerListing): void => {
    name.value = l.name;
    addresses.value = l.addresses.join(', ');
    deadband.value = l.onChange !== false && l.onChange.deadband !== undefined ? String(l.onChange.deadband) : '';
    interval.value =
      l.onChange !== false && l.onChange.minIntervalMs !== undefined ? String(l.onChange.minIntervalMs) : '';
    sample.value = l.sampleMs !== undefined ? String(l.sampleMs) : '';
    days.value = l.retention.days !== undefined ? String(l.retention.days) : '';
    enabled.checked = l.enabled;
    name.focus();
  };

  const load = async (): Promise<void> => {
    const list = await (await module()).listLoggers();
    status.textContent = `${list.length} loggers`;
    body.replaceChildren(
      ...list.map((l) => {
        const editButton = h('button', { type: 'button', class: 'action', 'aria-label': `Edit ${l.name}` }, 'Edit');
        const deleteButton = h(
          'button',
          { type: 'button', class: 'action', 'aria-label': `Delete ${l.name}` },
          'Delete',
        );
        editButton.addEventListener('click', () => edit(l));
        deleteButton.addEventListener('click', () => {
          if (!window.confirm(`Delete logger ${l.name}? Its stored history stays until its retention.`)) return;
          void module()
            .then((m) => m.deleteLogger(l.name))
            .catch((e: Error) => (status.textContent = `Not deleted: ${e.message}`));
        });
        const keep = [
          l.retention.days !== undefined ? `${l.retention.days} d` : '',
          l.retention.megabytes !== undefined ? `${l.retention.megabytes} MB` : '',
        ]
          .filter(Boolean)
          .join(', ');
        return h(
          'tr',
          { 'data-logger': l.name, class: l.enabled ? '' : 'disabled' },
          h('th', { scope: 'row' }, l.name),
          h('td', {}, l.addresses.join(', ')),
          h('td', {}, l.enabled ? describeRecording(l) : 'disabled'),
          h('td', {}, keep),
          h('td', {}, String(l.keys.length)),
          h(
            'td',
            { class: 'actions' },
            ifAllowed(ctx.role, 'configure', editButton),
            ifAllowed(ctx.role, 'configure', deleteButton),
          ),
        );
      }),
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const onChange = { deadband: numberOrUndefined(deadband), minIntervalMs: numberOrUndefined(interval) };
    const logger = {
      name: name.value.trim(),
      addresses: addresses.value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      onChange: JSON.parse(JSON.stringify(onChange)) as LoggerListing['onChange'],
      ...(numberOrUndefined(sample) !== undefined ? { sampleMs: numberOrUndefined(sample)! } : {}),
      retention: numberOrUndefined(days) !== undefined ? { days: numberOrUndefined(days)! } : {},
      enabled: enabled.checked,
    };
    void module()
      .then(async (m) => {
        const exists = (await m.listLoggers()).some((l) => l.name === logger.name);
        await (exists ? m.updateLogger(logger) : m.insertLogger(logger));
        // The form keeps what was saved (it may be edited again meanwhile: no reset here); "New" clears it.
        ctx.announce(`Saved logger ${logger.name}`);
      })
      .catch((e: Error) => (error.textContent = `Not saved: ${e.message}`));
  });

  const reload = (): void =>
    void load().catch((e: Error) => (status.textContent = `Could not load the loggers: ${e.message}`));
  reload();
  const subscribed = module().then((m) => {
    for (const event of EVENTS) m.on(event, reload);
    return m;
  });
  const offReconnect = ctx.onReconnect(reload);
  return () => {
    offReconnect();
    void subscribed.then((m) => {
      for (const event of EVENTS) m.removeListener(event, reload);
    });
  };
};
