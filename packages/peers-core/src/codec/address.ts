/**
 * Addresses on the wire, parsed here and nowhere else: a local peer `name`, a peer of another site
 * `name@site`, and the route name of a whole site `@site`. Peer and site names never contain `@`
 * (wire.ts checks them), so every split is unambiguous.
 */

const AT = 64; // '@'

/** `name@site`: how a peer is reached from other sites. */
export function qualified(name: string, site: string): string {
  return `${name}@${site}`;
}

/** Whether `address` is a peer of some site, `name@site` (not a local name, not a site route). */
export function isQualified(address: string): boolean {
  return address.indexOf('@') > 0;
}

/** The site of `name@site`; undefined for a local name. */
export function siteOf(address: string): string | undefined {
  const at = address.indexOf('@');
  return at > 0 ? address.slice(at + 1) : undefined;
}

/** The peer name of `name@site`, or `address` itself when it is a local name. */
export function peerOf(address: string): string {
  const at = address.indexOf('@');
  return at > 0 ? address.slice(0, at) : address;
}

/** The route name under which a whole site is reached: `@site`. */
export function siteRoute(site: string): string {
  return `@${site}`;
}

/** The route of the site of `name@site` (`@site`); undefined for a local name. */
export function siteRouteOf(address: string): string | undefined {
  const at = address.indexOf('@');
  return at > 0 ? address.slice(at) : undefined;
}

/** The site of a site route `@site`; undefined for any other name. */
export function siteOfRoute(name: string): string | undefined {
  return name.charCodeAt(0) === AT ? name.slice(1) : undefined;
}
