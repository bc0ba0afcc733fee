/**
 * Which addresses a bridge publishes and which it lets the broker write: patterns over an
 * address's key, name and alias (`*` matches any run of characters), and gateway ids. Pure.
 */

/** What the bridge knows of an address. */
export interface AddressRef {
  key: string;
  gateway: string | number;
  name?: string | undefined;
  alias?: string | undefined;
}

/** A compiled pattern list: true when any pattern matches the key, the name or the alias. */
export function matcher(patterns: readonly string[]): (address: AddressRef) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split('*').map(escape).join('.*')}$`));
  return (address) => {
    const ids = [address.key, address.name, address.alias].filter((x): x is string => typeof x === 'string');
    return regexes.some((r) => ids.some((id) => r.test(id)));
  };
}

/** Whether an address is published: matches `addresses` and, when `gateways` is not empty, is on one of them. */
export function publishFilter(
  addresses: readonly string[],
  gateways: ReadonlyArray<string | number>,
): (address: AddressRef) => boolean {
  const match = matcher(addresses);
  const wanted = new Set(gateways.map(String));
  return (address) => (wanted.size === 0 || wanted.has(String(address.gateway))) && match(address);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
