/**
 * Logs: the tail of a chosen process's log (`system.logTail`), or of the supervisor's own, then
 * its new lines live from `log <process>` events; the chosen process is in the route
 * (`#/logs/<name>`). Each line shows its date and time; a level filter and a search box hide the
 * other lines; an error's stack trace shows below its line, frame by frame; Download saves the
 * last lines of the log as a file.
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { formatLogLine } from '../format.js';
import type { ProcessInfo } from '../peers.js';

/** Lines fetched on choosing a process, lines in a download, and most lines kept on screen. */
const TAIL_LINES = 200;
const DOWNLOAD_LINES = 1000;
const MAX_LINES = 2000;
/** The supervisor's own log (`system.logTail('supervisor')`). */
const SUPERVISOR = 'supervisor';

/** Levels by rank; `plain` lines (not pino JSON: exit notes, stray output) count as info. */
const RANK: Record<string, number> = { trace: 10, debug: 20, info: 30, plain: 30, warn: 40, error: 50, fatal: 60 };

export const logsView: View = (ctx, root) => {
  const select = h('select', { id: 'log-process' });
  const level = h(
    'select',
    { id: 'log-level' },
    ...[
      ['10', 'all'],
      ['20', 'debug and above'],
      ['30', 'info and above'],
      ['40', 'warnings and errors'],
      ['50', 'errors only'],
    ].map(([value, text]) => h('option', { value }, text)),
  );
  const search = h('input', { id: 'log-search', type: 'search', placeholder: 'text in the line', autocomplete: 'off' });
  const follow = h('input', { id: 'log-follow', type: 'checkbox', checked: true });
  const download = h('button', { type: 'button' }, 'Download');
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const output = h('div', { class: 'log', role: 'log', 'aria-label': 'Log lines', tabindex: '0' });
  root.append(
    h('h1', {}, 'Logs'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'log-process' }, 'Process'),
      select,
      h('label', { for: 'log-level' }, 'Level'),
      level,
      h('label', { for: 'log-search' }, 'Search'),
      search,
      h('label', { class: 'inline' }, follow, ' Follow new lines'),
      download,
      status,
    ),
    output,
  );

  let current: { name: string; listener: (lines: string[]) => void } | undefined;
  let token = 0;

  /** Whether a line passes the level filter and the search. */
  const visible = (line: HTMLElement): boolean => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const text = line.textContent?.toLowerCase() ?? '';
    return Number(line.dataset.rank) >= Number(level.value) && words.every((w) => text.includes(w));
  };
  const applyFilter = (): void => {
    for (const line of output.children) (line as HTMLElement).hidden = !visible(line as HTMLElement);
  };
  level.addEventListener('change', applyFilter);
  search.addEventListener('input', applyFilter);

  const render = (raw: string): HTMLElement => {
    const { text, level: name, stack } = formatLogLine(raw);
    const line = h('div', { class: `line level-${name}`, 'data-rank': String(RANK[name] ?? 30) }, text);
    if (stack) line.append(h('pre', { class: 'stack' }, stack));
    line.hidden = !visible(line);
    return line;
  };

  const append = (lines: string[]): void => {
    if (lines.length === 0) return;
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(...lines.map(render));
    const extra = output.childElementCount - MAX_LINES;
    for (let i = 0; i < extra; i++) output.firstElementChild?.remove();
    if (follow.checked && atBottom) output.scrollTop = output.scrollHeight;
  };

  const stop = (): void => {
    if (current) ctx.system.removeListener(`log ${current.name}`, current.listener);
    current = undefined;
  };

  const show = async (name: string): Promise<void> => {
    const mine = ++token;
    stop();
    output.replaceChildren();
    status.textContent = `Loading ${name}…`;
    // Listen first and hold live lines until the tail is in, so none falls between the two.
    let held: string[] | undefined = [];
    const listener = (lines: string[]): void => {
      if (held) held.push(...lines);
      else if (follow.checked) append(lines);
    };
    current = { name, listener };
    ctx.system.on(`log ${name}`, listener);
    try {
      const tail = await ctx.system.logTail(name, TAIL_LINES);
      if (mine !== token) return;
      append(tail);
      append(held);
      held = undefined;
      output.scrollTop = output.scrollHeight;
      status.textContent = `${name}: last ${tail.length} lines, following`;
    } catch (error) {
      if (mine === token) status.textContent = `Cannot read the log of ${name}: ${(error as Error).message}`;
    }
  };

  download.addEventListener('click', () => {
    const name = current?.name;
    if (!name) return;
    ctx.system.logTail(name, DOWNLOAD_LINES).then(
      (lines: string[]) => {
        const url = URL.createObjectURL(new Blob([lines.map((line) => `${line}\n`).join('')], { type: 'text/plain' }));
        const link = h('a', { href: url, download: `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      (error: Error) => (status.textContent = `Cannot download the log of ${name}: ${error.message}`),
    );
  });

  select.addEventListener('change', () => {
    location.hash = `#/logs/${encodeURIComponent(select.value)}`;
  });

  void ctx.system.processes().then(
    (list: ProcessInfo[]) => {
      const names = [SUPERVISOR, ...list.map((p) => p.name)];
      select.replaceChildren(
        h('option', { value: SUPERVISOR }, 'supervisor (the hub itself)'),
        ...list.map((p) => h('option', { value: p.name }, `${p.name} (${p.kind})`)),
      );
      const chosen = names.find((name) => name === ctx.param) ?? list[0]?.name ?? SUPERVISOR;
      select.value = chosen;
      void show(chosen);
    },
    (error: Error) => (status.textContent = `Cannot list the processes: ${error.message}`),
  );
  const offReconnect = ctx.onReconnect(() => {
    if (current) void show(current.name);
  });
  return () => {
    token++;
    offReconnect();
    stop();
  };
};
