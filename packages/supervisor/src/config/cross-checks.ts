/**
 * What one entry cannot tell alone: unique gateway ids, route ids, logic names and usernames;
 * address keys, names and aliases unique across all of them (each is a name for `newValue <...>`
 * and for `writeValue`); `address.gateway` and route ends that refer to something that exists.
 * Runs on the raw document (see raw.ts), so these are reported alongside schema problems.
 */
import type { Problem, ProblemPath } from './problems.js';
import { entries, idKey, showId, stringField } from './raw.js';
import { matchEntry, type Matchable } from '../loggers/address-match.js';
import { ambiguousUsers } from '../access/callers.js';

/** Report every entry of `section` whose `field` (by `identity`) was seen before. */
function unique(
  document: unknown,
  section: string,
  field: string,
  what: string,
  identity: (value: unknown) => string | undefined,
): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  for (const [index, entry] of entries(document, section)) {
    const id = identity(entry[field]);
    if (id === undefined) continue;
    const seen = first.get(id);
    if (seen === undefined) first.set(id, index);
    else
      problems.push({
        path: [section, index, field],
        message: `duplicate ${what} ${showId(entry[field])} (first at ${section}[${seen}])`,
      });
  }
  return problems;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const ADDRESS_NAMES = ['key', 'name', 'alias'] as const;

/** Keys, names and aliases of addresses: one namespace. Returns the address index of each. */
function addressNames(document: unknown, problems: Problem[]): Map<string, number> {
  const owners = new Map<string, { index: number; field: string }>();
  for (const [index, address] of entries(document, 'addresses')) {
    for (const field of ADDRESS_NAMES) {
      const name = stringField(address, field);
      if (name === undefined || name === '') continue;
      const owner = owners.get(name);
      if (owner === undefined) owners.set(name, { index, field });
      else if (owner.index !== index) {
        problems.push({
          path: ['addresses', index, field],
          message: `"${name}" is already the ${owner.field} of addresses[${owner.index}]`,
        });
      }
    }
  }
  return new Map([...owners].map(([name, owner]) => [name, owner.index]));
}

function gatewayReferences(document: unknown): Problem[] {
  const ids = [
    ...new Set(
      entries(document, 'gateways').flatMap(([, gateway]) => {
        const id = idKey(gateway.id);
        return id === undefined ? [] : [id];
      }),
    ),
  ];
  const known = ids.length > 0 ? `gateway ids: ${ids.join(', ')}` : 'no gateways are configured';
  const problems: Problem[] = [];
  for (const [index, address] of entries(document, 'addresses')) {
    const id = idKey(address.gateway);
    if (id !== undefined && !ids.includes(id))
      problems.push({
        path: ['addresses', index, 'gateway'],
        message: `no gateway with id ${showId(address.gateway)} (${known})`,
      });
  }
  return problems;
}

function routeReferences(document: unknown, names: Map<string, number>): Problem[] {
  const problems: Problem[] = [];
  for (const [index, route] of entries(document, 'routes')) {
    const ends: Array<[string, number | undefined]> = [];
    for (const field of ['from', 'to'] as const) {
      const name = stringField(route, field);
      if (name === undefined) continue;
      const target = names.get(name);
      const path: ProblemPath = ['routes', index, field];
      if (target === undefined) problems.push({ path, message: `no address with key, name or alias "${name}"` });
      ends.push([field, target]);
    }
    const [from, to] = ends;
    if (from?.[1] !== undefined && from[1] === to?.[1]) {
      problems.push({
        path: ['routes', index, 'to'],
        message: `same address as from (addresses[${from[1]}]): a route to itself would loop`,
      });
    }
  }
  return problems;
}

/** Each entry of a logger's `addresses` must select at least one address (patterns too). */
function loggerReferences(document: unknown): Problem[] {
  const addresses: Matchable[] = entries(document, 'addresses').flatMap(([, a]) => {
    const key = stringField(a, 'key');
    return key === undefined ? [] : [{ key, name: stringField(a, 'name'), alias: stringField(a, 'alias') }];
  });
  const problems: Problem[] = [];
  for (const [index, logger] of entries(document, 'loggers')) {
    const list = Array.isArray(logger.addresses) ? (logger.addresses as unknown[]) : [];
    list.forEach((entry, i) => {
      if (typeof entry === 'string' && entry !== '' && matchEntry(entry, addresses).length === 0) {
        problems.push({
          path: ['loggers', index, 'addresses', i],
          message: `"${entry}" matches no address key, name or alias`,
        });
      }
    });
  }
  return problems;
}

/** Each alarm's `address` must be an address key, name or alias. */
function alarmReferences(document: unknown, names: Map<string, number>): Problem[] {
  const problems: Problem[] = [];
  for (const [index, alarm] of entries(document, 'alarms')) {
    const name = stringField(alarm, 'address');
    if (name !== undefined && name !== '' && !names.has(name))
      problems.push({ path: ['alarms', index, 'address'], message: `no address with key, name or alias "${name}"` });
  }
  return problems;
}

/** Two usernames whose sessions' peer names would look alike (`a/b`, `a_b`): the hub could not tell their roles apart. */
function userNameClashes(document: unknown): Problem[] {
  const users = entries(document, 'users').map(
    ([index, user]) => [index, typeof user.username === 'string' ? user.username : ''] as const,
  );
  return ambiguousUsers(users.map(([, name]) => name)).map(([first, second]) => ({
    path: ['users', users[second]![0], 'username'],
    message:
      `USER_NAME_CLASH: "${users[second]![1]}" and "${users[first]![1]}" (users[${users[first]![0]}]) give web sessions ` +
      'the same peer name; rename one (letters, digits, _ . ~ - are kept as they are)',
  }));
}

/** Every cross-reference problem of a raw site document. */
export function crossCheck(document: unknown): Problem[] {
  const problems: Problem[] = [];
  problems.push(...unique(document, 'gateways', 'id', 'gateway id', idKey));
  const names = addressNames(document, problems);
  problems.push(...gatewayReferences(document));
  problems.push(...unique(document, 'routes', 'id', 'route id', idKey));
  problems.push(...routeReferences(document, names));
  problems.push(...unique(document, 'logics', 'name', 'logic name', asString));
  problems.push(...unique(document, 'users', 'username', 'username', asString));
  problems.push(...userNameClashes(document));
  problems.push(...unique(document, 'loggers', 'name', 'logger name', asString));
  problems.push(...loggerReferences(document));
  problems.push(...unique(document, 'alarms', 'id', 'alarm id', asString));
  problems.push(...alarmReferences(document, names));
  problems.push(...unique(document, 'northbound', 'id', 'northbound id', asString));
  return problems;
}
