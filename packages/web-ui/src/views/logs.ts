/**
 * Logs: the tail of a chosen process's log (`system.logTail`), then its new lines live from
 * `log <process>` events; the chosen process is in the route (`#/logs/<name>`).
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { formatLogLine } from '../format.js';
import type { ProcessInfo } from '../peers.js';

/** Lines fetched on choosing a process, and most lines kept on screen. */
const TAIL_LINES = 200;
const MAX_LINES = 2000;

export const logsView: View = (ctx, root) => {
  const select = h('select', { id: 'log-process' });
  const follow = h('input', { id: 'log-follow', type: 'checkbox', checked: true });
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const output = h('pre', { class: 'log', role: 'log', 'aria-label': 'Log lines', tabindex: '0' });
  root.append(
    h('h1', {}, 'Logs'),
    h('div', { class: 'toolbar' },
      h('label', { for: 'log-process' }, 'Process'), select,
      h('label', { class: 'inline' }, follow, ' Follow new lines'),
      status),
    output,
  );

  let current: { name: string; listener: (lines: string[]) => void } | undefined;
  let token = 0;

  const append = (lines: string[]): void => {
    if (lines.length === 0) return;
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(
      ...lines.map((line) => {
        const { text, level } = formatLogLine(line);
        return h('span', { class: `line level-${level}` }, text);
      }),
    );
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

  select.addEventListener('change', () => {
    location.hash = `#/logs/${encodeURIComponent(select.value)}`;
  });

  void ctx.system.processes().then(
    (list: ProcessInfo[]) => {
      select.replaceChildren(...list.map((p) => h('option', { value: p.name }, `${p.name} (${p.kind})`)));
      const chosen = list.find((p) => p.name === ctx.param)?.name ?? list[0]?.name;
      if (chosen === undefined) return void (status.textContent = 'No process is supervised.');
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
