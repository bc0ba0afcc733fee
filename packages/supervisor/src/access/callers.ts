/**
 * Who a caller of `supervision` is, from its peer name and the site's users (docs/roles.md):
 * - a web session `web_<user>_<hex>[~tag]`: that user, with the role site.yaml gives them (never
 *   anything the client says); a session whose user is no longer configured has no role;
 * - `webserver` and every other local name: a process of the site itself on the 0600 socket
 *   (driver, logic, northbound bridge, CLI, the web server);
 * - `name@site`: a peer of another federated site (a web session there is `remoteWebSession`).
 */
import { isSessionPeerName, sessionUserPart, userPartOf, WEB_SERVER_PEER, type Role } from '@weble/web/site';

export type Caller =
  | { kind: 'site'; peer: string; isWebServer: boolean }
  | { kind: 'web'; peer: string; user: string; role: Role | undefined }
  | { kind: 'remote'; peer: string; site: string; remoteWebSession: boolean };

/** A configured user as the policy needs it. */
export interface UserRole {
  username: string;
  role: Role;
}

/** Look-ups of users by the user part of their sessions' peer names (config checks keep it unambiguous). */
export class UserDirectory {
  private byPart = new Map<string, UserRole>();

  constructor(users: readonly UserRole[]) {
    this.set(users);
  }

  /** Replace the users (a reloaded site.yaml). */
  set(users: readonly UserRole[]): void {
    this.byPart = new Map(users.map((u) => [sessionUserPart(u.username), { username: u.username, role: u.role }]));
  }

  /** Who `peer` is. */
  identify(peer: string): Caller {
    const at = peer.lastIndexOf('@');
    if (at > 0) {
      const local = peer.slice(0, at);
      return { kind: 'remote', peer, site: peer.slice(at + 1), remoteWebSession: isSessionPeerName(local) };
    }
    const part = userPartOf(peer);
    if (part === undefined) return { kind: 'site', peer, isWebServer: peer === WEB_SERVER_PEER };
    const user = this.byPart.get(part);
    return { kind: 'web', peer, user: user?.username ?? part, role: user?.role };
  }
}

/** Usernames that would share a session's peer-name part (`a/b` and `a_b`): each pair once, for a config problem. */
export function ambiguousUsers(usernames: readonly string[]): Array<[first: number, second: number]> {
  const seen = new Map<string, number>();
  const pairs: Array<[number, number]> = [];
  usernames.forEach((name, index) => {
    const part = sessionUserPart(name);
    const first = seen.get(part);
    if (first === undefined) seen.set(part, index);
    else if (usernames[first] !== name) pairs.push([first, index]);
  });
  return pairs;
}
