/**
 * Who a call came from, for the records that name a person: a web session's peer
 * (`web_<user>_<12 hex>`, optionally `~<tag>`; packages/web/src/link-name.ts) is its user; any
 * other peer (a logic, an integration, `name@site` from another site) is its own name.
 */
import { isSessionPeerName } from '@weble/web/site';

/** The user of a web session peer name (`web_admin_1a2b3c4d5e6f~k3` -> `admin`), else undefined. */
export function sessionUser(peer: string): string | undefined {
  if (!isSessionPeerName(peer)) return undefined;
  return peer
    .replace(/~[A-Za-z0-9]{1,16}$/, '')
    .replace(/^web_/, '')
    .replace(/_[0-9a-f]{12}$/, '');
}

/** `by` (the user, or the peer's name) and `peer` (the calling peer) of a call; `supervision` itself when there is none. */
export function callerIdentity(caller: string | undefined): { by: string; peer: string } {
  if (caller === undefined || caller === '') return { by: 'supervision', peer: 'supervision' };
  const at = caller.indexOf('@');
  const local = at < 0 ? caller : caller.slice(0, at);
  const user = sessionUser(local);
  return { by: user === undefined ? caller : `${user}${at < 0 ? '' : caller.slice(at)}`, peer: caller };
}
