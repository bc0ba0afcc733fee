/**
 * Audit (admins only; the gateway answers `audit.*` to admins only): who wrote what, controlled
 * which process, changed the configuration, logged in or failed to, acknowledged an alarm;
 * newest first, filtered by time, user and action, and downloaded as CSV (`audit.exportCsv`).
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { can } from '../access.js';
import type { AuditEntry, AuditFilter, AuditModule } from '../peers.js';

const ACTIONS = ['write', 'process', 'config', 'login', 'alarm-ack'] as const;
const SHOWN = 500;

/** A detail as one short line: `20 → 22` for a write, else compact JSON. */
function describeDetail(entry: AuditEntry): string {
  const d = entry.detail as { previous?: unknown; value?: unknown; comment?: unknown } | undefined;
  if (d === undefined || d === null) return '';
  if (entry.action === 'write' && 'value' in d)
    return `${JSON.stringify(d.previous ?? null)} → ${JSON.stringify(d.value)}`;
  if (entry.action === 'alarm-ack') return d.comment ? String(d.comment) : '';
  return JSON.stringify(d);
}

/** `datetime-local` input value to ms, or undefined when empty. */
const timeOf = (value: string): number | undefined => (value === '' ? undefined : new Date(value).getTime());

export const auditView: View = (ctx, root) => {
  if (!can(ctx.role, 'audit')) {
    root.append(h('h1', {}, 'Audit'), h('p', { role: 'alert' }, 'Only administrators see the audit trail.'));
    return () => undefined;
  }
  const from = h('input', { id: 'audit-from', type: 'datetime-local' });
  const to = h('input', { id: 'audit-to', type: 'datetime-local' });
  const user = h('input', { id: 'audit-user', type: 'text', autocomplete: 'off' });
  const action = h(
    'select',
    { id: 'audit-action' },
    h('option', { value: '' }, 'any'),
    ...ACTIONS.map((a) => h('option', { value: a }, a)),
  );
  const apply = h('button', { type: 'submit' }, 'Show');
  const download = h('button', { type: 'button', class: 'action', id: 'audit-export' }, 'Export CSV');
  const status = h('p', { class: 'muted', role: 'status', id: 'audit-status' });
  const body = h('tbody');
  const form = h(
    'form',
    { class: 'toolbar', 'aria-label': 'Audit filter' },
    h('label', { for: 'audit-from' }, 'From'),
    from,
    h('label', { for: 'audit-to' }, 'To'),
    to,
    h('label', { for: 'audit-user' }, 'User'),
    user,
    h('label', { for: 'audit-action' }, 'Action'),
    action,
    apply,
    download,
  );
  root.append(
    h('h1', {}, 'Audit'),
    form,
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'audit' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Time', 'User', 'Role', 'Action', 'Target', 'Change', 'Result'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
  );

  let audit: AuditModule | undefined;
  const module = async (): Promise<AuditModule> =>
    (audit ??= await ctx.session.peers('supervision').require<AuditModule>('audit'));
  const filter = (): AuditFilter => {
    const f: AuditFilter = { limit: SHOWN };
    const [fromMs, toMs] = [timeOf(from.value), timeOf(to.value)];
    if (fromMs !== undefined) f.from = fromMs;
    if (toMs !== undefined) f.to = toMs;
    if (user.value.trim()) f.user = user.value.trim();
    if (action.value) f.action = action.value as AuditEntry['action'];
    return f;
  };
  const load = async (): Promise<void> => {
    status.textContent = 'Loading…';
    try {
      const entries = await (await module()).query(filter());
      status.textContent = `${entries.length}${entries.length === SHOWN ? '+' : ''} entries, newest first`;
      body.replaceChildren(
        ...entries.map((e) =>
          h(
            'tr',
            { 'data-action': e.action, class: e.result === 'ok' ? '' : 'refused' },
            h('td', { class: 'time' }, new Date(e.at).toLocaleString()),
            h('td', {}, e.user),
            h('td', {}, e.role ?? '—'),
            h('td', {}, e.action),
            h('td', {}, e.target),
            h('td', {}, describeDetail(e)),
            h('td', { title: e.message ?? '' }, e.result),
          ),
        ),
      );
    } catch (error) {
      status.textContent = `The audit trail could not be read: ${(error as Error).message}`;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  download.addEventListener('click', () => {
    const { limit: _all, ...all } = filter();
    void module()
      .then((m) => m.exportCsv(all))
      .then(
        (csv) => {
          const link = h('a', {
            href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })),
            download: `audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.csv`,
          });
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        },
        (error: Error) => (status.textContent = `Not exported: ${error.message}`),
      );
  });
  void load();
  const offReconnect = ctx.onReconnect(() => void load());
  return () => offReconnect();
};
