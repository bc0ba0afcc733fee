/**
 * Which peer names a session's links may take. A session is bound to one name (`web_<user>_<hex>`,
 * from POST /auth); a link may take that name, or that name followed by `~` and a tag of 1-16
 * letters and digits that the page picks (`web_admin_1a2b3c4d5e6f~k3j9`). The tag lets a page that
 * was reloaded, or a tab that was duplicated (its sessionStorage copied), link again with the same
 * session while the old page's link is still open or not yet noticed gone: each link needs a name
 * of its own on the mesh. The bound name stays the prefix, so no session can take another's names
 * and share filters on `web_<user>_` keep working.
 */

/** A link's tag: `~` then 1-16 letters and digits. */
const TAG = /^~[A-Za-z0-9]{1,16}$/;

/** Whether a link of the session bound to `bound` may take `name` in its hello. */
export function sessionAllowsName(bound: string, name: string): boolean {
  if (name === bound) return true;
  return name.startsWith(bound) && TAG.test(name.slice(bound.length));
}
