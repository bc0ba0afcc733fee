/**
 * The site links of a federated hub (docs/federation.md): their handshake, the path-vector site
 * routes they carry, and what arrives on them. A message from another site is accepted only
 * from a qualified sender `x@S` whose site S is reached through the link it came on; a
 * destination `x@<our site>` is stripped to the local name `x`; `x@T` passes on toward site T.
 */
import { encode } from '../codec/messagepack.js';
import { BorderLink } from './border-link.js';
import { Code, PeersError } from '../errors.js';
import { HandshakeInbox, refuse, sendBody } from '../mesh/handshake.js';
import type { Link } from '../link/link.js';
import type { Logger } from '../logger.js';
import type { SitePort } from '../mesh/site-port.js';
import { siteHandshakeIn, siteHandshakeOut, type SitePeer, type SiteSelf } from './site-handshake.js';
import { SiteTable, type SiteInfo } from './site-routes.js';
import { MessageType, decodeBody, readEnvelope, writeHeader, type Envelope } from '../codec/wire.js';
import { peerOf, qualified, siteOf, siteRoute } from '../codec/address.js';

interface SiteLinkState {
  peer: SitePeer;
  /** What we last advertised on the link: site -> path and info, as a string. */
  sent: Map<string, string>;
}

/** A site reachable now, with what it says of itself. */
export interface KnownSite {
  site: string;
  /** Sites on the way, the neighbour first, the site last. */
  path: readonly string[];
  endpoint: { host: string; port: number } | undefined;
  metadata: Record<string, unknown>;
  /** The peer name of its hub (`supervision`). */
  hub: string;
}

/** What the federation tells its owner (membership). */
export interface FederationEvents {
  /** Site links or site routes changed (`linked`: at least one site link is up). */
  changed(linked: boolean): void;
}

/** The host of a link's remote address (`tls://10.0.0.7:7443` -> `10.0.0.7`). */
function remoteHost(remote: string): string | undefined {
  return /^[a-z]+:\/\/\[?([^\]]*?)\]?:\d+$/.exec(remote)?.[1];
}

/** A TLS failure about certificates becomes CERT_REJECTED with the TLS reason; others stay as they are. */
export function certificateError(error: Error, where: string): Error {
  if (error instanceof PeersError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^ERR_SSL_|^ERR_TLS_CERT|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
    return new PeersError(Code.CERT_REJECTED, `${where}: certificate rejected by TLS: ${error.message} (${code})`, {
      cause: error,
    });
  }
  return error;
}

export class Federation {
  readonly table: SiteTable<BorderLink>;
  private readonly links = new Map<BorderLink, SiteLinkState>();
  private readonly handshaking = new Set<Link>();
  private readonly admitting = new Set<string>();
  private closed = false;
  /** Recomputes the routes when the next hold-down ends. */
  private holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly mesh: SitePort,
    readonly self: SiteSelf,
    private readonly handshakeTimeoutMs: number,
    private readonly log: Logger,
    private readonly events: FederationEvents = { changed() {} },
    /** Hold-down of a site whose best path was lost (site-routes.ts), ms. */
    holdDownMs = 0,
  ) {
    this.table = new SiteTable(self.site, { metadata: self.metadata, hub: self.name }, holdDownMs);
  }

  /** Where other sites can link to us (advertised with our site routes). */
  setEndpoint(endpoint: SiteInfo['endpoint']): void {
    this.table.setSelfInfo({ metadata: this.self.metadata, hub: this.self.name, ...(endpoint ? { endpoint } : {}) });
    this.sync();
  }

  /** Every site reachable now, with its path, endpoint and metadata. */
  known(): KnownSite[] {
    return this.table.sites().map((site) => {
      const info = this.table.infoOf(site);
      const e = info?.endpoint;
      return {
        site,
        path: this.table.bestOf(site)?.path ?? [],
        endpoint: e?.host ? { host: e.host, port: e.port } : undefined,
        metadata: info?.metadata ?? {},
        hub: info?.hub ?? this.self.name,
      };
    });
  }

  /** Whether a site link is up. */
  get linked(): boolean {
    return this.links.size > 0;
  }

  /** Sites reachable now. */
  sites(): string[] {
    return this.table.sites();
  }

  /** The sites linked directly, with what their handshake said. */
  neighbours(): SitePeer[] {
    return [...this.links.values()].map((l) => l.peer);
  }

  // ---- links -------------------------------------------------------------------------------

  /** Dialing side: handshake, then join. Rejects with a coded reason (CERT_REJECTED, WRONG_SECRET...). */
  async attachOutgoing(raw: Link): Promise<SitePeer> {
    const link = new BorderLink(raw, this.self.site);
    this.handshaking.add(raw);
    const inbox = new HandshakeInbox(link);
    try {
      const peer = await siteHandshakeOut(inbox, this.self, this.handshakeTimeoutMs).catch((error: Error) => {
        throw certificateError(error, raw.remote);
      });
      if (this.closed) throw new PeersError(Code.CLOSED, `site "${this.self.site}" closed its federation`);
      const refusal = this.admit(peer);
      if (refusal) {
        refuse(link, refusal);
        throw refusal;
      }
      this.up(link, peer, inbox.takeHeld());
      return peer;
    } finally {
      this.handshaking.delete(raw);
    }
  }

  /** Listening side: failures are reported, not thrown. */
  attachIncoming(raw: Link): void {
    if (this.closed) {
      raw.close();
      return;
    }
    const link = new BorderLink(raw, this.self.site);
    this.handshaking.add(raw);
    let reserved: string | undefined;
    const inbox = new HandshakeInbox(link);
    siteHandshakeIn(inbox, this.self, this.handshakeTimeoutMs, (peer) => {
      const refusal = this.admit(peer);
      if (!refusal) this.admitting.add((reserved = peer.site));
      return refusal;
    })
      .then((peer) => {
        if (link.closed || this.closed) return;
        this.up(link, peer, inbox.takeHeld());
      })
      .catch((error: Error) => this.mesh.report(raw.remote, certificateError(error, raw.remote)))
      .finally(() => {
        if (reserved) this.admitting.delete(reserved);
        this.handshaking.delete(raw);
      });
  }

  /** One link per pair of sites; a site name is one hub's (told apart by its instance). */
  private admit(peer: SitePeer): PeersError | undefined {
    for (const { peer: linked } of this.links.values()) {
      if (linked.site !== peer.site) continue;
      if (linked.instance !== peer.instance)
        return new PeersError(
          Code.SITE_TAKEN,
          `site name "${peer.site}" is already in the federation, used by another hub linked to "${this.self.site}"`,
        );
      return new PeersError(Code.SITE_TAKEN, `site "${peer.site}" is already linked to "${this.self.site}"`);
    }
    if (this.admitting.has(peer.site))
      return new PeersError(
        Code.SITE_TAKEN,
        `site "${peer.site}" is joining "${this.self.site}" through another link right now`,
      );
    return undefined;
  }

  /** A site link is up; `early` are the frames that came right after its handshake. */
  private up(link: BorderLink, peer: SitePeer, early: Array<[Buffer, number, number]>): void {
    link.neighbour = peer.site;
    this.links.set(link, { peer, sent: new Map() });
    this.table.addLink(link, peer.site);
    this.mesh.attachSiteLink(link, qualified(peer.name, peer.site));
    link.onframe = (buf, start, end) => this.receive(link, buf, start, end);
    link.onerror = (error) => {
      this.mesh.report(siteRoute(peer.site), error);
      refuse(link, error);
    };
    link.onclose = (error) => this.down(link, error);
    this.log.debug({ site: peer.site, remote: link.remote }, `site link to "${peer.site}" up`);
    this.sync();
    for (const [buf, start, end] of early) if (!link.closed) this.receive(link, buf, start, end);
  }

  private down(link: BorderLink, error?: Error): void {
    const state = this.links.get(link);
    if (!state) return;
    this.links.delete(link);
    this.table.removeLink(link);
    this.mesh.detachSiteLink(link);
    if (error && !this.closed) this.mesh.report(siteRoute(state.peer.site), error);
    this.sync(`site link to "${state.peer.site}" (${link.remote}) closed${error ? `: ${error.message}` : ''}`);
    this.events.changed(this.links.size > 0);
  }

  // ---- site routes -------------------------------------------------------------------------

  /** Choose best paths again, tell the mesh what moved, and advertise the differences. */
  private sync(reason?: string): void {
    const changes = this.table.recompute(Date.now());
    this.scheduleHoldEnd();
    let touched = false;
    for (const [site, best] of [...changes.up, ...changes.moved]) {
      this.log.debug(
        { site, path: best.path },
        `site "${site}" reached through "${best.path[0]}" (${best.path.join('>')})`,
      );
      this.mesh.setSiteRoute(site, best.link, best.path.length);
    }
    if (changes.down.length > 0)
      this.log.debug({ sites: changes.down }, `sites unreachable: ${changes.down.join(', ')}`);
    for (const site of changes.down)
      this.mesh.setSiteRoute(site, undefined, 0, reason ?? `site "${site}" is no longer reachable`);
    for (const [link, state] of this.links) {
      const wanted = this.table.advertisementFor(link);
      const added: Array<[string, string[], SiteInfo]> = [];
      const removed: string[] = [];
      for (const [site, [path, info]] of wanted) {
        const key = `${path.join(',')} ${JSON.stringify(info)}`;
        if (state.sent.get(site) !== key) {
          added.push([site, path, info]);
          state.sent.set(site, key);
        }
      }
      for (const site of [...state.sent.keys()]) {
        if (!wanted.has(site)) {
          removed.push(site);
          state.sent.delete(site);
        }
      }
      if (added.length > 0 || removed.length > 0) {
        const body = encode([added, removed]);
        link.send(writeHeader(MessageType.SITES, 0, '', '', '', body.length), body);
        touched = true;
      }
    }
    if (touched || changes.up.length + changes.moved.length + changes.down.length > 0)
      this.events.changed(this.links.size > 0);
  }

  private scheduleHoldEnd(): void {
    const at = this.table.nextExpiry();
    if (at === undefined || this.holdTimer !== undefined || this.closed) return;
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = undefined;
        if (this.closed) return;
        this.log.debug({}, 'hold-down over: site routes chosen again');
        this.sync();
      },
      Math.max(1, at - Date.now() + 1),
    );
    this.holdTimer.unref?.();
  }

  // ---- receiving ---------------------------------------------------------------------------

  private receive(link: BorderLink, buf: Buffer, start: number, end: number): void {
    let env: Envelope;
    try {
      env = readEnvelope(buf, start, end);
    } catch (error) {
      this.mesh.report(siteRoute(link.neighbour), error as Error);
      refuse(link, error as PeersError);
      return;
    }
    try {
      this.dispatch(link, env);
    } catch (error) {
      const e =
        error instanceof PeersError
          ? error
          : new PeersError(Code.BAD_FRAME, `message type ${env.type}: ${(error as Error).message}`);
      this.mesh.report(siteRoute(link.neighbour), e);
      if (!link.closed) sendBody(link, MessageType.NOTICE, { code: e.code, message: e.message });
    }
  }

  private dispatch(link: BorderLink, env: Envelope): void {
    const type = env.type;
    if (type === MessageType.PING) return;
    if (type === MessageType.SITES) {
      const body = decodeBody(env);
      if (!Array.isArray(body))
        throw new PeersError(Code.BAD_FRAME, `site routes from "${link.neighbour}": expected [added, removed]`);
      // A neighbour listening on every interface leaves its host out: it is where the link comes from.
      const host = remoteHost(link.remote);
      if (Array.isArray(body[0]) && host) {
        for (const entry of body[0] as unknown[]) {
          const info =
            Array.isArray(entry) && entry[0] === link.neighbour
              ? (entry[2] as { endpoint?: { host?: unknown } } | undefined)
              : undefined;
          if (info?.endpoint && typeof info.endpoint === 'object' && info.endpoint.host === undefined)
            info.endpoint.host = host;
        }
      }
      this.table.learn(link, body[0], body[1]);
      this.sync();
      this.events.changed(this.links.size > 0);
      return;
    }
    if (type === MessageType.NOTICE) {
      const body = decodeBody(env) as { code?: unknown; message?: unknown } | null;
      this.mesh.report(
        siteRoute(link.neighbour),
        new PeersError(
          String(body?.code ?? Code.BAD_FRAME) as PeersError['code'],
          `notice from site "${link.neighbour}": ${String(body?.message)}`,
        ),
      );
      return;
    }
    if (
      type === MessageType.HELLO ||
      type === MessageType.WELCOME ||
      type === MessageType.REJECT ||
      type === MessageType.SITE_AUTH
    ) {
      throw new PeersError(
        Code.HANDSHAKE_FAILED,
        `unexpected handshake message type ${type} on the open site link to "${link.neighbour}"`,
      );
    }
    if (type === MessageType.ROUTES)
      throw new PeersError(
        Code.BAD_FRAME,
        `peer routes from site "${link.neighbour}": a site advertises sites, never its peers`,
      );
    const from = env.from;
    const fromSite = siteOf(from);
    if (fromSite === undefined || fromSite === this.self.site || !this.table.reachableVia(fromSite, link)) {
      const why =
        fromSite === undefined
          ? 'is not qualified with its site'
          : fromSite === this.self.site
            ? 'claims our own site'
            : `is of a site not reached through "${link.neighbour}"`;
      throw new PeersError(
        Code.SPOOFED_SENDER,
        `message from site link "${link.neighbour}" claims sender "${from}", which ${why}`,
      );
    }
    if (type !== MessageType.EVENT) {
      const to = env.to;
      const toSite = siteOf(to);
      if (toSite === undefined)
        throw new PeersError(
          Code.BAD_FRAME,
          `message from "${from}" to "${to}": a destination across sites must be qualified (name@site)`,
        );
      if (toSite === this.self.site) {
        env.to = peerOf(to);
        env.stamped = true; // the header changes on the way in
      }
    }
    this.mesh.ingress(link, env, from);
  }

  /** Close every site link (the mesh closes the rest). */
  close(): void {
    this.closed = true;
    clearTimeout(this.holdTimer);
    for (const link of [...this.links.keys()]) link.close();
    for (const link of this.handshaking) link.close();
  }
}
