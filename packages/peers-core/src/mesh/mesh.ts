/**
 * A node of the mesh: its links, the route table, calls, subscriptions and event forwarding.
 * Every peer is a node; hubs (`supervision`, `webserver`) are nodes with many links. Messages go
 * hop by hop; the first hop stamps the sender; events follow the interest table.
 */
import type { EventEmitter } from 'node:events';
import { CallRouter } from './call-router.js';
import { Code, PeersError } from '../errors.js';
import { EventRouter, type RemoteEventHandler } from './event-router.js';
import { Heartbeat } from './heartbeat.js';
import { notify, refuse, type Welcome } from './handshake.js';
import type { Link } from '../link/link.js';
import { LinkJoining } from './link-joining.js';
import type { MeshContext } from './router-context.js';
import { ModuleRegistry } from './module-registry.js';
import type { Settle } from './pending-calls.js';
import { RouteAnnouncer } from './route-announcer.js';
import { RouteTable } from './route-table.js';
import type { DatagramHandler, SitePort } from './site-port.js';
import { UPSTREAM, type Entitlement } from './trust.js';
import type { MeshHooks, MeshOptions } from './mesh-options.js';
import { MessageType, decodeBody, readEnvelope, relayed, writeHeader, type Envelope } from '../codec/wire.js';
import { isQualified, siteOfRoute } from '../codec/address.js';

export class Mesh {
  readonly modules: ModuleRegistry;
  private readonly routes = new RouteTable();
  private readonly calls: CallRouter;
  private readonly events: EventRouter;
  private readonly linkNames = new Map<Link, string>();
  private readonly entitlements = new Map<Link, Entitlement>();
  /** Links joining this node: handshakes and admission (link-joining.ts); one that passes comes to `up`. */
  private readonly joining: LinkJoining;
  /** Links to other sites' hubs (federation), by the other hub's qualified name. */
  private readonly siteLinks = new Map<Link, string>();
  private readonly heartbeat: Heartbeat;
  /** Name routes and their announcements (the `@site` routes too, set through the site port). */
  private readonly announcer: RouteAnnouncer;
  /** Where datagrams (MessageType.DATAGRAM) addressed to this node go; set by a federation. Unset: dropped. */
  private datagrams: DatagramHandler | undefined;
  /** What a federation may do to this mesh (site-port.ts): the only door between the two layers. */
  readonly sitePort: SitePort;
  private closed = false;

  constructor(
    readonly options: MeshOptions,
    private readonly hooks: MeshHooks,
  ) {
    this.modules = new ModuleRegistry(options.name);
    const ctx: MeshContext = {
      name: options.name,
      ttl: options.ttl,
      maxInterestsPerPeer: options.maxInterestsPerPeer,
      routes: this.routes,
      federated: options.site !== undefined,
      report: (peer, error) => hooks.error(peer, error),
    };
    this.calls = new CallRouter(ctx, this.modules);
    this.heartbeat = new Heartbeat(options.heartbeatMs, this.linkNames, this.siteLinks);
    this.events = new EventRouter(ctx, this.modules, options.remoteEmit);
    this.announcer = new RouteAnnouncer({
      name: options.name,
      site: options.site,
      routes: this.routes,
      links: this.linkNames,
      gained: (name) => this.gained(name),
      lost: (name, reason) => this.lost(name, reason),
      siteMoved: (site, link) => this.events.siteMoved(site, link),
      entitlement: (link) => this.entitlements.get(link) ?? UPSTREAM,
      report: (peer, error) => hooks.error(peer, error),
    });
    this.joining = new LinkJoining({
      options,
      closed: () => this.closed,
      reaches: (name) => this.routes.has(name),
      join: (link, name, entitlement, early) => this.up(link, name, entitlement, early),
      report: (peer, error) => hooks.error(peer, error),
    });
    this.sitePort = this.openSitePort();
  }

  /** This peer's own emitter, whose events reach every peer listening to them. */
  get peerEvents(): EventEmitter {
    return this.events.peerEvents;
  }

  get name(): string {
    return this.options.name;
  }

  /** Names reachable now. */
  peers(): string[] {
    return this.routes.names();
  }

  isReachable(name: string): boolean {
    return this.routes.has(name);
  }

  // ---- links -------------------------------------------------------------------------------

  /** Dialing side of a new link: handshake, then join. Resolves with the welcome. */
  attachOutgoing(link: Link): Promise<Welcome> {
    return this.joining.outgoing(link);
  }

  /** Listening side of a new link: wait for hello, admit, join. Failures are reported, not thrown. */
  attachIncoming(link: Link): void {
    this.joining.incoming(link);
  }

  /** A link joins the mesh under `name`; `early` are the frames that came right after its handshake. */
  private up(link: Link, name: string, entitlement: Entitlement, early: Array<[Buffer, number, number]>): void {
    this.linkNames.set(link, name);
    this.entitlements.set(link, entitlement);
    link.onframe = (buf, start, end) => this.receive(link, buf, start, end);
    link.onerror = (error) => {
      this.hooks.error(name, error);
      refuse(link, error);
    };
    link.onclose = (error) => this.down(link, error);
    this.routes.add(name, link, 1);
    this.announcer.send(link, this.routes.advertisementFor(link), []);
    this.announcer.announce(link, [[name, 1]], []);
    this.gained(name);
    this.heartbeat.start();
    for (const [buf, start, end] of early) if (!link.closed) this.receive(link, buf, start, end);
  }

  private down(link: Link, error?: Error): void {
    const name = this.linkNames.get(link);
    if (name === undefined) return;
    this.linkNames.delete(link);
    this.entitlements.delete(link);
    if (error && !this.closed) this.hooks.error(name, error);
    const lost = this.routes.removeLink(link);
    this.announcer.announce(link, [], lost);
    for (const lostName of lost)
      this.lost(lostName, `link to ${link.remote} closed${error ? `: ${error.message}` : ''}`);
  }

  private gained(name: string): void {
    const site = siteOfRoute(name);
    if (site !== undefined) this.events.replaySite(site);
    else this.events.replay(name);
    this.hooks.connect(name);
  }

  private lost(name: string, reason: string): void {
    const site = siteOfRoute(name);
    if (site !== undefined) {
      this.calls.pending.failSite(site, reason);
      this.events.siteLost(site);
    } else {
      this.calls.pending.failPeer(name, reason);
      this.events.originLost(name);
    }
    this.hooks.disconnect(name);
  }

  // ---- sites (federation) --------------------------------------------------------------------

  private openSitePort(): SitePort {
    return {
      name: this.options.name,
      ttl: this.options.ttl,
      attachSiteLink: (link, name) => {
        this.siteLinks.set(link, name);
        this.heartbeat.start();
      },
      detachSiteLink: (link) => this.siteLinks.delete(link),
      setSiteRoute: (site, link, hops, reason) => this.announcer.siteRoute(site, link, hops, reason),
      ingress: (link, env, from) => this.routeMessage(link, env, from),
      onDatagram: (handler) => (this.datagrams = handler),
      sendDatagram: (to, ttl, body) => this.sendDatagram(to, ttl, body),
      call: (to, module, method, args, timeoutMs, settle) =>
        this.calls.call(to, module, method, args, timeoutMs, settle),
      share: (module, object, filter) => {
        this.modules.share(module, object, filter);
        this.moduleChanged(module);
      },
      unshare: (module) => {
        if (this.modules.unshare(module)) this.moduleChanged(module);
      },
      report: (peer, error) => this.hooks.error(peer, error),
    };
  }

  // ---- receiving ---------------------------------------------------------------------------

  private receive(link: Link, buf: Buffer, start: number, end: number): void {
    let env: Envelope;
    try {
      env = readEnvelope(buf, start, end);
    } catch (error) {
      this.hooks.error(this.linkNames.get(link) ?? link.remote, error as Error);
      refuse(link, error as PeersError);
      return;
    }
    try {
      this.dispatch(link, env);
    } catch (error) {
      // A well-framed message with a bad body: tell the sender, keep the link.
      const e =
        error instanceof PeersError
          ? error
          : new PeersError(Code.BAD_FRAME, `message type ${env.type}: ${(error as Error).message}`);
      this.hooks.error(this.linkNames.get(link) ?? link.remote, e);
      notify(link, e);
    }
  }

  private dispatch(link: Link, env: Envelope): void {
    const type = env.type;
    if (type === MessageType.PING) return;
    if (type === MessageType.ROUTES) return this.announcer.onRoutes(link, decodeBody(env));
    if (type === MessageType.NOTICE) {
      const body = decodeBody(env) as { code?: unknown; message?: unknown } | null;
      this.hooks.error(
        this.linkNames.get(link) ?? link.remote,
        new PeersError(
          String(body?.code ?? Code.BAD_FRAME) as PeersError['code'],
          `notice from ${this.linkNames.get(link)}: ${String(body?.message)}`,
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
      throw new PeersError(Code.HANDSHAKE_FAILED, `unexpected handshake message type ${type} on an open link`);
    }
    if (type === MessageType.SITES)
      throw new PeersError(
        Code.BAD_FRAME,
        `site routes from "${this.linkNames.get(link)}": only site links carry them`,
      );
    // Routed messages: the sender must be behind the link the message came from. An originator
    // may leave `from` empty: then the first hop stamps it with the link's peer name.
    let from = env.from;
    if (from === '') {
      from = this.linkNames.get(link)!;
      env.from = from;
      env.stamped = true;
    } else if (this.routes.resolve(from)?.link !== link) {
      throw new PeersError(
        Code.SPOOFED_SENDER,
        `message claims to be from "${from}", who is not reached through ${this.linkNames.get(link)}`,
      );
    }
    // The two commonest cases first, without a call (the local hot path).
    if (type === MessageType.EVENT) return this.events.onEvent(link, env, from);
    if (env.to === this.name) return this.deliver(link, env, from);
    this.routeMessage(link, env, from);
  }

  /** A routed message whose sender checked out: deliver it here, or pass it on. */
  private routeMessage(link: Link, env: Envelope, from: string): void {
    const type = env.type;
    if (type === MessageType.EVENT) return this.events.onEvent(link, env, from);
    if (env.to === this.name) return this.deliver(link, env, from);
    if (env.ttl <= 1) {
      if (type === MessageType.DATAGRAM) return; // no delivery guarantee: dropped at the hop limit
      const e = new PeersError(
        Code.HOP_LIMIT,
        `message from "${from}" to "${env.to}" dropped at "${this.name}": hop limit reached`,
      );
      if (type === MessageType.CALL || type === MessageType.DESCRIBE)
        this.calls.replyError(from, env, e, this.answerAs(env, from));
      else throw e;
      return;
    }
    this.transit(env, from);
  }

  private forward(env: Envelope, from: string, to: string, link: Link): void {
    link.send(...relayed(env, from, to));
  }

  private transit(env: Envelope, from: string): void {
    const to = env.to;
    if (this.events.onTransit(env, from)) return;
    const route = this.routes.resolve(to);
    if (route) this.forward(env, from, to, route.link);
    else if (env.type === MessageType.CALL || env.type === MessageType.DESCRIBE) {
      this.calls.replyError(
        from,
        env,
        new PeersError(Code.PEER_DISCONNECTED, `no route from "${this.name}" to peer "${to}"`),
        this.answerAs(env, from),
      );
    }
  }

  /** Who answers a call that cannot go on: the destination when the call crosses sites, else this node. */
  private answerAs(env: Envelope, from: string): string {
    return isQualified(from) || isQualified(env.to) ? env.to : this.name;
  }

  private deliver(link: Link, env: Envelope, from: string): void {
    switch (env.type) {
      case MessageType.CALL:
        return this.calls.onCall(env, from);
      case MessageType.DESCRIBE:
        return this.calls.onDescribe(env, from);
      case MessageType.RESULT:
        return this.calls.onResult(env, from);
      case MessageType.SUB:
        return this.events.onSubscribe(link, env.topic, from);
      case MessageType.UNSUB:
        return this.events.onUnsubscribe(env.topic, from);
      case MessageType.SUB_ACK:
        return this.events.onSubAck(env, from);
      case MessageType.EMIT:
        return this.events.onRemoteEmit(env, from);
      case MessageType.DATAGRAM:
        return this.datagrams?.(from, env);
      default:
        throw new PeersError(Code.BAD_FRAME, `message type ${env.type} cannot be addressed to a peer`);
    }
  }

  // ---- API used by the peers object ----------------------------------------------------------

  /** Call `module.method(...args)` on peer `to`; `settle` runs exactly once, never synchronously. */
  call(to: string, module: string, method: string, args: unknown[], timeoutMs: number, settle: Settle): void {
    this.calls.call(to, module, method, args, timeoutMs, settle);
  }

  /** Ask peer `to` for the methods of `module`. */
  describe(to: string, module: string, timeoutMs: number, settle: Settle): void {
    this.calls.describe(to, module, timeoutMs, settle);
  }

  /** Listen locally to `topic` of `source`; the interest is sent now or when the route appears. */
  subscribe(source: string, topic: string, sink: RemoteEventHandler): void {
    this.events.subscribe(source, topic, sink);
  }

  unsubscribe(source: string, topic: string): void {
    this.events.unsubscribe(source, topic);
  }

  /** Emit `event` on peer `to`'s emitter. Returns whether it was handed to a live link. */
  emitTo(to: string, event: string, args: unknown[]): boolean {
    return this.events.emitTo(to, event, args);
  }

  /** Send a datagram to `to` with hop limit `ttl`; false when there is no route (it is dropped). */
  sendDatagram(to: string, ttl: number, body: Buffer): boolean {
    const route = this.routes.resolve(to);
    if (!route) return false;
    route.link.send(writeHeader(MessageType.DATAGRAM, ttl, to, this.name, '', body.length), body);
    return true;
  }

  /** Re-point event forwarders of a module after share/unshare. */
  moduleChanged(scope: string): void {
    this.events.moduleChanged(scope);
  }

  // ---- closing ------------------------------------------------------------------------------

  /** Close every link and fail every pending call; resolves when the sockets are closed (at most 1 s). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat.stop();
    const links = [...this.linkNames.keys(), ...this.siteLinks.keys(), ...this.joining.handshaking];
    for (const link of links) link.close();
    this.calls.pending.failAll(`peers "${this.name}" closed`, Code.CLOSED);
    this.events.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(links.map((l) => l.whenClosed)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000))),
    ]);
    clearTimeout(timer);
  }
}
