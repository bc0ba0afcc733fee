/**
 * The shell: login, then a header with the pages (hash routes `#/overview`, `#/addresses`,
 * `#/logs/<process>`, `#/loggers`, `#/alarms`) and the live alarm count, the link banner (shown when the link to the gateway drops, and when it
 * comes back), session expiry (back to the login form with a message) and logout.
 */
import type { View, ViewContext } from './context.js';
import { h } from './dom.js';
import type { GatewaysModule, SystemModule } from './peers.js';
import { checkSession, LoginError, logout, resume, SESSION_ENDED_MESSAGE, type Session } from './session.js';
import { loadStoredSession, tabStorage } from './stored-session.js';
import { renderLogin } from './views/login.js';
import { overviewView } from './views/overview.js';
import { addressesView } from './views/addresses.js';
import { logsView } from './views/logs.js';
import { loggersView } from './views/loggers.js';
import { alarmsView } from './views/alarms.js';
import { alarmCountBadge } from './views/alarm-count.js';
import { auditView } from './views/audit.js';
import { can, whoami, type Ability, type Role } from './access.js';
import type { AccessModule } from './peers.js';

/** While the link is down, how often the server is asked whether the session is still live, ms. */
const SESSION_CHECK_MS = 2000;

/** The pages; `needs`: shown in the header only to roles that may (the gateway checks every call anyway). */
const ROUTES: Record<string, { title: string; view: View; needs?: Ability }> = {
  overview: { title: 'Overview', view: overviewView },
  addresses: { title: 'Addresses', view: addressesView },
  logs: { title: 'Logs', view: logsView },
  loggers: { title: 'Loggers', view: loggersView },
  alarms: { title: 'Alarms', view: alarmsView },
  audit: { title: 'Audit', view: auditView, needs: 'audit' },
};

/** `%20` -> ` `; a malformed escape is kept as typed. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The page of a route that names no page: what was asked for, and the way back. */
const notFoundView: View = (ctx, root) => {
  root.append(
    h('h1', {}, 'Page not found'),
    h('p', {}, `There is no page "${ctx.param ?? ''}".`),
    h('p', {}, h('a', { href: '#/overview' }, 'Go to the overview')),
  );
  return () => undefined;
};

/** `#/logs/driver_x` -> `['logs', 'driver_x']`; no hash is the overview; a route that names no page is `notFound` with what was asked. */
export function parseRoute(hash: string): [string, string | undefined] {
  const [name = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (name === '') return ['overview', undefined];
  if (!(name in ROUTES)) return ['notFound', safeDecode(hash.replace(/^#\/?/, ''))];
  const param = rest.length ? safeDecode(rest.join('/')) : undefined;
  return [name, param || undefined];
}

const EXPIRED_MESSAGE = 'Your session has expired. Please log in again.';

/** Start the UI in `root`: resume this tab's session after a reload, else the login form. */
export function startApp(root: HTMLElement): void {
  const showLogin = (notice?: string): void => {
    document.title = 'Log in — Weble';
    renderLogin(root, notice, (session) => void startSession(root, session, showLogin));
  };
  const stored = loadStoredSession(tabStorage(), Date.now());
  if (stored.state === 'none') return showLogin();
  if (stored.state === 'expired') return showLogin(EXPIRED_MESSAGE);
  document.title = 'Reconnecting — Weble';
  root.replaceChildren(
    h('main', { class: 'login-page' }, h('p', { role: 'status', id: 'resuming' }, 'Reconnecting to the gateway…')),
  );
  resume(stored.session).then(
    (session) => void startSession(root, session, showLogin),
    (error: unknown) =>
      showLogin(error instanceof LoginError ? error.message : `Reconnecting failed: ${(error as Error).message}`),
  );
}

async function startSession(root: HTMLElement, session: Session, showLogin: (notice?: string) => void): Promise<void> {
  const supervision = session.peers('supervision');
  let gateways: GatewaysModule;
  let system: SystemModule;
  let role: Role | null;
  try {
    [gateways, system] = await Promise.all([
      supervision.require<GatewaysModule>('gateways'),
      supervision.require<SystemModule>('system'),
    ]);
    role = await whoami(await supervision.require<AccessModule>('access').catch(() => undefined));
  } catch (error) {
    await logout(session);
    return showLogin(`The gateway did not answer: ${(error as Error).message}`);
  }

  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true, id: 'link-banner' });
  const main = h('main', { id: 'view', tabindex: '-1' });
  const links = Object.entries(ROUTES)
    .filter(([, route]) => route.needs === undefined || can(role, route.needs))
    .map(([name, route]) => h('a', { href: `#/${name}`, 'data-route': name }, route.title));
  const logoutButton = h('button', { type: 'button', class: 'logout' }, 'Log out');
  const alarmCount = alarmCountBadge(session.peers);
  const header = h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, 'Weble'),
    h('nav', { 'aria-label': 'Pages' }, ...links),
    alarmCount.element,
    h('span', { class: 'user', title: `Logged in as ${session.username} (${role ?? 'no role'})` }, session.username),
    h('span', { class: 'role', id: 'role' }, role ?? 'no role'),
    logoutButton,
  );
  root.replaceChildren(header, banner, main, live);

  const reconnectHooks = new Set<() => void>();
  let bannerTimer: ReturnType<typeof setTimeout> | undefined;
  // A link that stays down may be a session that ended on the server (expired, logged out
  // elsewhere, sessions lost): the browser cannot see why an upgrade was refused, so ask.
  let checkTimer: ReturnType<typeof setInterval> | undefined;
  const onDown = (): void => {
    clearTimeout(bannerTimer);
    clearInterval(checkTimer);
    checkTimer = setInterval(() => {
      void checkSession(session.id).then(({ state }) => {
        if (state === 'ended') void end(SESSION_ENDED_MESSAGE);
      });
    }, SESSION_CHECK_MS);
    // Every value on screen is stale while the link is down (greyed by the stylesheet).
    root.classList.add('link-down');
    banner.hidden = false;
    banner.className = 'banner down';
    banner.textContent = 'Link to the gateway lost. Reconnecting…';
  };
  const onUp = (): void => {
    clearInterval(checkTimer);
    root.classList.remove('link-down');
    if (banner.hidden) return; // the first connection, not a return
    banner.className = 'banner up';
    banner.textContent = 'Link to the gateway restored.';
    bannerTimer = setTimeout(() => (banner.hidden = true), 4000);
    alarmCount.refresh();
    for (const fn of reconnectHooks) fn();
  };
  session.peers.on('disconnect supervision', onDown);
  session.peers.on('connect supervision', onUp);

  let unmount: (() => void) | undefined;
  const announce = (message: string): void => {
    live.textContent = message;
  };
  const render = (): void => {
    unmount?.();
    reconnectHooks.clear();
    const [name, param] = parseRoute(location.hash);
    const route = ROUTES[name] ?? { title: 'Not found', view: notFoundView };
    document.title = `${route.title} — Weble`;
    for (const link of links) {
      if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    main.replaceChildren();
    const ctx: ViewContext = {
      session,
      gateways,
      system,
      role,
      param,
      announce,
      onReconnect: (fn) => (reconnectHooks.add(fn), () => reconnectHooks.delete(fn)),
    };
    unmount = route.view(ctx, main);
  };
  window.addEventListener('hashchange', render);

  let ended = false;
  const end = async (notice: string): Promise<void> => {
    if (ended) return;
    ended = true;
    clearTimeout(expiryTimer);
    clearTimeout(bannerTimer);
    clearInterval(checkTimer);
    window.removeEventListener('hashchange', render);
    alarmCount.stop();
    unmount?.();
    await logout(session);
    showLogin(notice);
  };
  // setTimeout holds at most 2^31-1 ms (about 24.8 days).
  const expiryTimer = setTimeout(
    () => void end(EXPIRED_MESSAGE),
    Math.min(Math.max(0, session.expires - Date.now()), 2 ** 31 - 1),
  );
  logoutButton.addEventListener('click', () => void end('You have logged out.'));
  render();
}
