/** What every page of the UI gets: the session and the core modules, plus shell services. */
import type { Role } from './access.js';
import type { GatewaysModule, SystemModule } from './peers.js';
import type { Session } from './session.js';

export interface ViewContext {
  session: Session;
  gateways: GatewaysModule;
  system: SystemModule;
  /** The session's role as the gateway gives it (pages hide what it cannot do; the gateway refuses it anyway). */
  role: Role | null;
  /** `fn` runs after each return of the link (snapshots may be stale); returns the unsubscribe. */
  onReconnect(fn: () => void): () => void;
  /** Say something to screen readers and show it briefly. */
  announce(message: string): void;
  /** The route's argument (`#/logs/<name>` gives `<name>`), decoded. */
  param: string | undefined;
}

/** A page: renders into `root`, returns its cleanup (listeners removed, timers stopped). */
export type View = (ctx: ViewContext, root: HTMLElement) => () => void;
