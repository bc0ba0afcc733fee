/**
 * Overview: the gateways with their state (live from `gatewayState <id>`), and the supervised
 * processes with state, pid, restarts, uptime and memory (refreshed at each `processState` event
 * and every 2 s while shown), with
 * restart / stop / start buttons for admins (process-actions.ts: confirmations, the web server's
 * own restart), and the northbound bridges' status (northbound-section.ts). Rows are updated in
 * place, so keyboard focus stays put.
 */
import type { View } from '../context.js';
import { h, labelColumns } from '../dom.js';
import { formatBytes, formatDuration } from '../format.js';
import type { Gateway, ProcessInfo } from '../peers.js';
import { northboundSection } from './northbound-section.js';
import { can } from '../access.js';
import { runProcessAction, WEB_SERVER, type ProcessAction } from './process-actions.js';

const REFRESH_MS = 2000;

function badge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state.replace(/[^a-z-]/gi, '')}` }, state);
}

export const overviewView: View = (ctx, root) => {
  const gatewayBody = h('tbody');
  const processBody = h('tbody');
  const processError = h('p', { class: 'form-error', role: 'alert', id: 'process-error' });
  const processNote = h('p', { class: 'muted', role: 'status', id: 'process-note' });
  const control = can(ctx.role, 'control');
  root.append(
    h('h1', {}, 'Overview'),
    h(
      'section',
      { 'aria-labelledby': 'gw-title' },
      h('h2', { id: 'gw-title' }, 'Gateways'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'gateways' },
          h('thead', {}, h('tr', {}, ...['Id', 'Name', 'Type', 'State'].map((t) => h('th', { scope: 'col' }, t)))),
          gatewayBody,
        ),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'proc-title' },
      h('h2', { id: 'proc-title' }, 'Processes'),
      processError,
      processNote,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'processes cards' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                'Process',
                'Kind',
                'State',
                'PID',
                'Restarts',
                'Uptime',
                'Memory',
                ...(control ? ['Actions'] : []),
              ].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          processBody,
        ),
      ),
    ),
  );
  const northbound = northboundSection();
  root.append(northbound.element);

  // ---- gateways ------------------------------------------------------------------------------
  const stateCells = new Map<string, HTMLElement>();
  const stateListeners = new Map<string, (state: string, detail: string | null) => void>();
  const unlistenStates = (): void => {
    for (const [id, fn] of stateListeners) ctx.gateways.removeListener(`gatewayState ${id}`, fn);
    stateListeners.clear();
  };
  const loadGateways = async (): Promise<void> => {
    const list: Gateway[] = await ctx.gateways.listGateways();
    unlistenStates();
    stateCells.clear();
    gatewayBody.replaceChildren(
      ...list.map((g) => {
        const id = String(g.id);
        const cell = h('td', { class: 'state' }, badge(g.state));
        stateCells.set(id, cell);
        const fn = (state: string, detail: string | null): void => {
          cell.replaceChildren(badge(state));
          cell.title = detail ?? '';
        };
        stateListeners.set(id, fn);
        ctx.gateways.on(`gatewayState ${id}`, fn);
        return h(
          'tr',
          { 'data-gateway': id },
          h('td', {}, id),
          h('th', { scope: 'row' }, g.name ?? '—'),
          h('td', {}, g.type),
          cell,
        );
      }),
    );
    labelColumns(gatewayBody.parentElement as HTMLTableElement);
  };
  const onGatewaysChanged = (): void => void loadGateways().catch(() => undefined);
  for (const event of ['gatewayInserted', 'gatewayUpdated', 'gatewayDeleted'])
    ctx.gateways.on(event, onGatewaysChanged);

  // ---- processes -----------------------------------------------------------------------------
  const rows = new Map<
    string,
    { row: HTMLTableRowElement; cells: HTMLElement[]; buttons: Map<ProcessAction, HTMLButtonElement> }
  >();
  const act = (action: ProcessAction, name: string, button: HTMLButtonElement): void => {
    button.disabled = true;
    processError.textContent = '';
    processNote.textContent = '';
    runProcessAction(ctx, action, name)
      .then(({ done, failed }) => {
        if (done) {
          ctx.announce(done);
          processNote.textContent = done;
        }
        if (failed) processError.textContent = failed;
      })
      .finally(() => {
        button.disabled = false;
        void refreshProcesses();
      });
  };
  const rowFor = (p: ProcessInfo): { cells: HTMLElement[]; buttons: Map<ProcessAction, HTMLButtonElement> } => {
    const existing = rows.get(p.name);
    if (existing) return existing;
    const cells = Array.from({ length: 6 }, () => h('td'));
    // Only admins control processes; nobody stops the web server from the page it serves.
    const actions = control
      ? (['restart', 'stop', 'start'] as const).filter((a) => !(a === 'stop' && p.name === WEB_SERVER))
      : [];
    const buttons = actions.map((action) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `action ${action}`,
          'aria-label': `${action[0]!.toUpperCase()}${action.slice(1)} ${p.name}`,
        },
        action[0]!.toUpperCase() + action.slice(1),
      );
      button.addEventListener('click', () => act(action, p.name, button));
      return [action, button] as const;
    });
    const row = h(
      'tr',
      { 'data-process': p.name },
      h('th', { scope: 'row' }, p.name),
      ...cells,
      control ? h('td', { class: 'actions' }, ...buttons.map(([, b]) => b)) : null,
    );
    processBody.append(row);
    labelColumns(processBody.parentElement as HTMLTableElement);
    const entry = { row, cells, buttons: new Map(buttons) };
    rows.set(p.name, entry);
    return entry;
  };
  const refreshProcesses = async (): Promise<void> => {
    let list: ProcessInfo[];
    try {
      list = await ctx.system.processes();
    } catch {
      return; // the link is down: the banner says so; the next refresh tries again
    }
    const seen = new Set<string>();
    for (const p of list) {
      seen.add(p.name);
      const { cells, buttons } = rowFor(p);
      const values = [
        p.kind,
        badge(p.state),
        p.pid === null ? '—' : String(p.pid),
        String(p.restarts),
        formatDuration(p.uptimeMs),
        formatBytes(p.rss),
      ];
      values.forEach((value, i) => cells[i]!.replaceChildren(value));
      cells[1]!.title = p.lastError?.join('\n') ?? '';
      const running = p.state === 'up' || p.state === 'starting';
      const [stop, start] = [buttons.get('stop'), buttons.get('start')];
      if (stop) stop.hidden = !running;
      if (start) start.hidden = running;
    }
    for (const [name, entry] of rows)
      if (!seen.has(name)) {
        entry.row.remove();
        rows.delete(name);
      }
    northbound.update(list);
  };

  void loadGateways().catch(() => undefined);
  void refreshProcesses();
  // A state change (up, exited, restarting, failed...) shows at once; uptime and memory every 2 s.
  const onProcessState = (): void => void refreshProcesses();
  ctx.system.on('processState', onProcessState);
  const timer = setInterval(() => void refreshProcesses(), REFRESH_MS);
  const offReconnect = ctx.onReconnect(() => {
    void loadGateways().catch(() => undefined);
    void refreshProcesses();
  });
  return () => {
    clearInterval(timer);
    ctx.system.removeListener('processState', onProcessState);
    offReconnect();
    unlistenStates();
    for (const event of ['gatewayInserted', 'gatewayUpdated', 'gatewayDeleted'])
      ctx.gateways.removeListener(event, onGatewaysChanged);
  };
};
