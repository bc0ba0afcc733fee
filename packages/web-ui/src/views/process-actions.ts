/**
 * Stop, Restart and Start of a supervised process from the overview (admins only; the gateway
 * refuses others). Stop and Restart ask first, listing what depends on the process
 * (`system.dependents`). The web server carries this page's own link: it offers no Stop (the
 * gateway refuses it too), and its restart's answer is lost with the link it travels on, so a
 * lost link there is the restart under way: the page waits for the link to return and reports
 * the process's state then, instead of a false failure.
 */
import type { ViewContext } from '../context.js';
import type { ProcessInfo } from '../peers.js';
import { confirmAction } from './confirm-dialog.js';

export type ProcessAction = 'restart' | 'stop' | 'start';

/** The process whose restart drops this page's link. */
export const WEB_SERVER = 'webserver';

const label = (action: ProcessAction): string => action[0]!.toUpperCase() + action.slice(1);

/** Whether `error` is the call's link going away (not the gateway's refusal). */
function lostWithLink(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === 'PEER_DISCONNECTED' || e?.code === 'ETIMEDOUT' || /left the mesh|disconnected/i.test(e?.message ?? '')
  );
}

/** Resolves once the link to the gateway is back (at once if it never went). */
function linkBack(ctx: ViewContext): Promise<void> {
  return new Promise((resolve) => {
    const off = ctx.onReconnect(() => (off(), resolve()));
    if (ctx.session.peers('supervision').isConnected()) {
      off();
      resolve();
    }
  });
}

export interface ActionOutcome {
  /** What to tell the user, or undefined when the action was cancelled. */
  done?: string;
  failed?: string;
}

/** Ask (for stop and restart), run `action` on `name`, and say how it went. */
export async function runProcessAction(ctx: ViewContext, action: ProcessAction, name: string): Promise<ActionOutcome> {
  if (action !== 'start') {
    const consequences = await ctx.system.dependents(name).catch(() => [] as string[]);
    const ok = await confirmAction({
      title: `${label(action)} ${name}?`,
      consequences,
      action: label(action),
      ...(name === WEB_SERVER ? { note: 'This page loses its link for a moment and reconnects by itself.' } : {}),
    });
    if (!ok) return {};
  }
  try {
    await ctx.system[action](name);
    return { done: `${name}: ${action} done` };
  } catch (error) {
    if (!(name === WEB_SERVER && action === 'restart' && lostWithLink(error)))
      return { failed: `${action} ${name} failed: ${(error as Error).message}` };
    await linkBack(ctx);
    const now: ProcessInfo | undefined = (await ctx.system.processes().catch(() => [] as ProcessInfo[])).find(
      (p) => p.name === name,
    );
    return now?.state === 'up'
      ? { done: `${name}: ${action} done` }
      : { failed: `${action} ${name}: it is ${now?.state ?? 'not listed'} after the restart` };
  }
}
