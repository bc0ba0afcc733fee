/**
 * Which peer names a session's links may take. A session is bound to one name (`web_<user>_<hex>`,
 * from POST /auth); a link may take that name, or that name followed by `~` and a tag of 1-16
 * letters and digits that the page picks (`web_admin_1a2b3c4d5e6f~k3j9`). The tag lets a page that
 * was reloaded, or a tab that was duplicated (its sessionStorage copied), link again with the same
 * session while the old page's link is still open or not yet noticed gone: each link needs a name
 * of its own on the mesh. The bound name stays the prefix, so no session can take another's names
 * and share filters on `web_<user>_` keep working.
 */

/**
 * Every name a web session's link can have: `web_<user>_<12 hex>`, optionally `~<tag>` (the user
 * part as {@link peerNameFor} writes it). The hub lets the web server announce these, and only
 * these, behind its link.
 */
export const SESSION_PEER_NAME = /^web_[A-Za-z0-9_.~-]{1,64}_[0-9a-f]{12}(?:~[A-Za-z0-9]{1,16})?$/;

/** The peer name of the web server that the supervisor runs. */
export const WEB_SERVER_PEER = 'webserver';

/** Whether `name` has the shape of a web session's link name. */
export function isSessionPeerName(name: string): boolean {
  return SESSION_PEER_NAME.test(name);
}

/**
 * The hub's grant to the web server (a peers `mayAnnounce`): the link of `webserver` speaks for
 * web sessions' names, and for nothing else.
 */
export function webSessionGrant(hello: { name: string }, name: string): boolean {
  return hello.name === WEB_SERVER_PEER && isSessionPeerName(name);
}

/** The user part of a session's peer name: the username (64 characters at most) with characters a peer name cannot hold as `_`. */
export function sessionUserPart(username: string): string {
  return username.slice(0, 64).replace(/[^A-Za-z0-9_.~-]/g, '_');
}

const SESSION_PARTS = /^web_(.+)_[0-9a-f]{12}(?:~[A-Za-z0-9]{1,16})?$/;

/** The user part of a session's peer name (`web_<user part>_<hex>[~tag]`), or undefined for another name. */
export function userPartOf(name: string): string | undefined {
  return isSessionPeerName(name) ? SESSION_PARTS.exec(name)?.[1] : undefined;
}

/** A link's tag: `~` then 1-16 letters and digits. */
const TAG = /^~[A-Za-z0-9]{1,16}$/;

/** Whether a link of the session bound to `bound` may take `name` in its hello. */
export function sessionAllowsName(bound: string, name: string): boolean {
  if (name === bound) return true;
  return name.startsWith(bound) && TAG.test(name.slice(bound.length));
}
