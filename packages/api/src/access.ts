/**
 * The `access` core module on `supervision` (docs/roles.md): who the site takes the caller for,
 * so a UI can hide what the caller's role cannot do (the site refuses it anyway).
 */
import type { Method, Remote, Served } from './module-api.js';

/** A site.yaml user's role. */
export type Role = 'viewer' | 'operator' | 'admin';

/** What `whoami` answers. */
export interface WhoAmI {
  peer: string;
  /** A process of the site itself, a web session, or a peer of another federated site. */
  kind: 'site' | 'web' | 'remote';
  /** A web session's user. */
  user?: string;
  /** A web session's role (null: its user is no longer configured); `admin` for the site's own processes. */
  role?: Role | null;
}

/** The methods of the `access` module. */
export interface AccessApi {
  whoami: Method<[], [who: WhoAmI]>;
}

/** What the supervisor's `access` module implements. */
export type ServedAccess = Served<AccessApi>;

/** `await peers('supervision').require('access')`, typed. */
export type RemoteAccess = Remote<AccessApi>;
