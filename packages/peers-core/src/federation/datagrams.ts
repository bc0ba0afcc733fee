/**
 * Datagrams between sites (seed 004): `send(site, data)` with no answer and no delivery
 * guarantee, relayed hop by hop like every message (hop limit: the header's ttl). Each one
 * carries the sender's epoch (random per run) and sequence number; the receiver drops
 * duplicates with a {@link DedupWindow} of bounded memory. Ports tell sockets apart (port 0:
 * the federation's own `message` event).
 */
import { randomBytes } from 'node:crypto';
import { encode } from '../codec/messagepack.js';
import { DedupWindow } from './dedup-window.js';
import { decodeBody, type Envelope } from '../codec/wire.js';
import { qualified, siteOf } from '../codec/address.js';

/** Where a datagram comes from: the site and the sender's port. */
export interface DatagramSource {
  site: string;
  port: number;
}

/** What datagrams need of the hub. */
export interface DatagramHost {
  readonly site: string;
  /** Hand a datagram body to `to` (a qualified hub name) with hop limit `ttl`; false when unroutable. */
  sendRaw(to: string, ttl: number, body: Buffer): boolean;
  /** The hub name of a reachable site (undefined when unreachable). */
  hubOf(site: string): string | undefined;
  /** A datagram for this site arrived (not a duplicate). */
  deliver(data: unknown, from: DatagramSource, toPort: number): void;
}

export class Datagrams {
  readonly epoch = randomBytes(6).toString('hex');
  private seq = 0;
  /** Datagrams dropped as duplicates, and as malformed. */
  readonly dropped = { duplicate: 0, malformed: 0 };

  constructor(
    private readonly host: DatagramHost,
    private readonly hopLimit: number,
    private readonly window = new DedupWindow(),
  ) {}

  /**
   * Send `data` (anything the codec carries: bytes, JSON-like values) to `site`'s port `toPort`.
   * Returns false when the site is unreachable now (nothing is sent). Sending to our own site
   * delivers on the next tick.
   */
  send(site: string, data: unknown, toPort = 0, fromPort = 0): boolean {
    if (site === this.host.site) {
      process.nextTick(() => this.host.deliver(data, { site, port: fromPort }, toPort));
      return true;
    }
    const hub = this.host.hubOf(site);
    if (hub === undefined) return false;
    const body = encode([this.epoch, this.seq++, toPort, fromPort, data], () => `datagram to "${site}"`, [data]);
    return this.host.sendRaw(qualified(hub, site), this.hopLimit, body);
  }

  /** A DATAGRAM message addressed to this hub, from `from` (`hub@site`). */
  receive(from: string, env: Envelope): void {
    let body: unknown;
    try {
      body = decodeBody(env);
    } catch {
      this.dropped.malformed++;
      return;
    }
    this.take(siteOf(from) ?? '', from, body);
  }

  /** A decoded datagram body from `from` of `site`: deliver it unless malformed or seen before. */
  take(site: string, from: string, body: unknown): boolean {
    if (site === '' || !Array.isArray(body) || body.length !== 5) {
      this.dropped.malformed++;
      return false;
    }
    const [epoch, seq, toPort, fromPort, data] = body as [unknown, unknown, unknown, unknown, unknown];
    if (typeof epoch !== 'string' || typeof seq !== 'number' || !isPort(toPort) || !isPort(fromPort)) {
      this.dropped.malformed++;
      return false;
    }
    if (!this.window.accept(`${from}/${epoch}`, seq)) {
      this.dropped.duplicate++;
      return false;
    }
    this.host.deliver(data, { site, port: fromPort }, toPort);
    return true;
  }
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}
