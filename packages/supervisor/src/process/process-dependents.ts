/**
 * What stops working while a supervised process is down, in words an operator acts on: the
 * confirmations of Stop and Restart in the UI show these lines (`system.dependents(name)`).
 */
import { isSessionPeerName, WEB_SERVER_PEER } from '@weble/web/site';
import type { SiteConfig } from '../config/index.js';
import type { AddressBook } from '../modules/address-book.js';
import { driverPeerName } from '../modules/gateways-module.js';

export interface DependentsContext {
  config: SiteConfig;
  book: AddressBook;
  /** Names of the peers connected to the hub now. */
  connected: () => string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function dependentsOf(name: string, { config, book, connected }: DependentsContext): string[] {
  const gateway = config.gateways.find((g) => driverPeerName(g) === name);
  if (gateway) {
    const keys = book.ofGateway(gateway.id).map((a) => a.key);
    const lines = [
      `gateway ${gateway.id}${gateway.name ? ` (${gateway.name})` : ''} goes offline: its ${plural(keys.length, 'address')} stop updating and refuse writes`,
    ];
    const recorded = config.loggers.filter((l) => l.enabled !== false).length;
    if (recorded > 0 && keys.length > 0) lines.push('loggers record nothing new for these addresses');
    for (const bridge of config.northbound)
      if (bridge.enabled) lines.push(`northbound ${bridge.id} publishes no new values of these addresses`);
    return lines;
  }
  if (name === WEB_SERVER_PEER) {
    const sessions = connected().filter((peer) => isSessionPeerName(peer)).length;
    return [
      `the web UI and ${plural(sessions, 'web session')} connected now (yours included) lose their link until it is back`,
    ];
  }
  if (name.startsWith('logic_'))
    return [`the logic script ${name.slice('logic_'.length)} stops: what it computes or writes is not updated`];
  if (name === 'loggers_store')
    return ['history is not written while it is down (values wait on the hub) and history queries fail'];
  if (name.startsWith('northbound_'))
    return [`the MQTT bridge ${name.slice('northbound_'.length)} stops publishing (values wait in its on-disk buffer)`];
  return [];
}
