/**
 * Events: local listeners of remote events (sinks), the interest table, forwarding an event only
 * over links with a listener behind them, and the owner side that attaches to shared emitters.
 */
import { EventEmitter } from 'node:events';
import { encode } from '../codec/messagepack.js';
import { Code, PeersError, toError } from '../errors.js';
import { InterestTable } from './interest-table.js';
import type { Link } from '../link/link.js';
import type { MeshContext } from './router-context.js';
import { emitterOf, type ModuleRegistry } from './module-registry.js';
import { localOnly, type RemoteEmitPolicy } from './trust.js';
import { MessageType, decodeBody, relayed, writeHeader, type Envelope } from '../codec/wire.js';
import { isQualified } from '../codec/address.js';

/** Local receiver of a subscribed remote event. */
export type RemoteEventHandler = (args: unknown[]) => void;

const SEP = '|';

/** Topic of an event: module scope ('' for the peer's own emitter) and event name. */
export function topicOf(scope: string, event: string): string {
  return scope + SEP + event;
}

interface Forwarder {
  emitter: EventEmitter;
  event: string;
  fn: (...args: unknown[]) => void;
}

export class EventRouter {
  readonly peerEvents = new EventEmitter();
  readonly interests = new InterestTable();
  private readonly sinks = new Map<string, Map<string, RemoteEventHandler>>();
  private readonly forwarders = new Map<string, Forwarder>();
  /** The forwarders' functions: a remote emit kept local skips them. */
  private readonly forwarderFns = new WeakSet<object>();

  constructor(
    private readonly ctx: MeshContext,
    private readonly modules: ModuleRegistry,
    private readonly remoteEmit: RemoteEmitPolicy = localOnly,
  ) {
    this.peerEvents.setMaxListeners(0);
  }

  /** Listen locally to `topic` of `source`; sends the interest now or when the route appears. */
  subscribe(source: string, topic: string, sink: RemoteEventHandler): void {
    let topics = this.sinks.get(source);
    if (!topics) this.sinks.set(source, (topics = new Map()));
    topics.set(topic, sink);
    this.interests.add(source, topic, this.ctx.name, null, true);
    const route = this.ctx.routes.resolve(source);
    if (route) this.sendSub(MessageType.SUB, route.link, source, this.ctx.name, topic);
  }

  /** Withdraw a local interest. */
  unsubscribe(source: string, topic: string): void {
    const topics = this.sinks.get(source);
    if (!topics?.delete(topic)) return;
    if (topics.size === 0) this.sinks.delete(source);
    this.interests.remove(source, topic, this.ctx.name);
    const route = this.ctx.routes.resolve(source);
    if (route) this.sendSub(MessageType.UNSUB, route.link, source, this.ctx.name, topic);
  }

  private sendSub(type: MessageType, link: Link, source: string, origin: string, topic: string): void {
    link.send(writeHeader(type, this.ctx.ttl, source, origin, topic, 0));
  }

  /** The route to `source` appeared: send every interest we hold in it. */
  replay(source: string): void {
    const route = this.ctx.routes.resolve(source);
    if (!route) return;
    for (const { topic, origin } of this.interests.entriesOf(source)) {
      this.sendSub(MessageType.SUB, route.link, source, origin, topic);
    }
  }

  /** Site `site` became reachable: replay every interest in its peers. */
  replaySite(site: string): void {
    for (const source of this.interests.sourcesOfSite(site)) this.replay(source);
  }

  /** The best route to `site` moved to `link`: re-point its origins' entries and replay toward it. */
  siteMoved(site: string, link: Link): void {
    this.interests.relinkSite(site, link);
    this.replaySite(site);
  }

  /** Site `site` became unreachable: its peers' interests go, as when an origin leaves. */
  siteLost(site: string): void {
    for (const origin of this.interests.originsOfSite(site)) this.originLost(origin);
  }

  subAck(to: string, source: string, topic: string, error: Error | null): void {
    const route = this.ctx.routes.resolve(to);
    if (!route) return;
    const body = encode([error]);
    route.link.send(writeHeader(MessageType.SUB_ACK, this.ctx.ttl, to, source, topic, body.length), body);
  }

  tooManyInterests(origin: string): PeersError {
    return new PeersError(
      Code.BAD_ARGUMENT,
      `peer "${origin}" listens to more than ${this.ctx.maxInterestsPerPeer} events (maxInterestsPerPeer)`,
    );
  }

  /** Owner side: a remote peer wants `topic` of ours. */
  onSubscribe(link: Link, topic: string, origin: string): void {
    const sep = topic.indexOf(SEP);
    const scope = topic.slice(0, sep);
    const event = topic.slice(sep + 1);
    let emitter: EventEmitter | undefined = this.peerEvents;
    try {
      if (sep < 0 || event.length === 0)
        throw new PeersError(Code.BAD_ARGUMENT, `bad event topic ${JSON.stringify(topic)}`);
      if (scope !== '') {
        emitter = emitterOf(this.modules.authorize(scope, origin));
        if (!emitter)
          throw new PeersError(Code.BAD_ARGUMENT, `module "${scope}" on "${this.ctx.name}" does not emit events`);
      }
      if (this.interests.countFor(origin) >= this.ctx.maxInterestsPerPeer) throw this.tooManyInterests(origin);
    } catch (error) {
      this.subAck(origin, this.ctx.name, topic, error as Error);
      return;
    }
    this.interests.add(this.ctx.name, topic, origin, link, true);
    if (!this.forwarders.has(topic)) this.attachForwarder(topic, emitter, event);
    this.subAck(origin, this.ctx.name, topic, null);
  }

  private attachForwarder(topic: string, emitter: EventEmitter, event: string): void {
    const fn = (...args: unknown[]): void => this.publish(topic, event, args);
    emitter.on(event, fn);
    this.forwarderFns.add(fn);
    this.forwarders.set(topic, { emitter, event, fn });
  }

  private detachForwarder(topic: string): void {
    const f = this.forwarders.get(topic);
    if (!f) return;
    f.emitter.removeListener(f.event, f.fn);
    this.forwarders.delete(topic);
  }

  /** Re-point forwarders of a module after share/unshare. */
  moduleChanged(scope: string): void {
    const object = this.modules.get(scope);
    const emitter = object ? emitterOf(object) : undefined;
    for (const topic of this.interests.topicsOf(this.ctx.name)) {
      if (!topic.startsWith(scope + SEP)) continue;
      this.detachForwarder(topic);
      if (emitter) this.attachForwarder(topic, emitter, topic.slice(scope.length + 1));
    }
  }

  /** Send one of our events to every link with a listener behind it. */
  private publish(topic: string, event: string, args: unknown[]): void {
    const links = this.interests.linksFor(this.ctx.name, topic);
    if (links.length === 0) return;
    let body: Buffer;
    try {
      body = encode(args, () => `event "${event}" arguments`);
    } catch (error) {
      this.ctx.report(this.ctx.name, error as Error);
      return;
    }
    const prefix = writeHeader(MessageType.EVENT, this.ctx.ttl, '', this.ctx.name, topic, body.length);
    for (const link of links) link.send(prefix, body);
  }

  onEvent(link: Link, env: Envelope, source: string): void {
    const links = this.interests.linksFor(source, env.topic);
    if (links.length > 0 && env.ttl > 1) {
      const [bytes, body] = relayed(env, source, '');
      for (const out of links) if (out !== link) out.send(bytes, body);
    }
    const sink = this.sinks.get(source)?.get(env.topic);
    if (!sink) return;
    const args = decodeBody(env);
    if (!Array.isArray(args))
      throw new PeersError(Code.BAD_FRAME, `event from "${source}": expected an argument array`);
    sink(args);
  }

  /**
   * A remote peer's `emit` on our emitter (MessageType.EMIT): the owner's policy decides whether it reaches
   * only our own listeners, also our remote subscribers, or nobody (trust.ts).
   */
  onRemoteEmit(env: Envelope, from: string): void {
    const event = env.topic;
    const verdict = this.remoteEmit(from, event);
    if (verdict === 'refuse') {
      this.ctx.report(
        from,
        new PeersError(
          Code.EMIT_REFUSED,
          `"${from}" may not emit "${event}" on "${this.ctx.name}": only "${this.ctx.name}" emits it`,
        ),
      );
      return;
    }
    const args = decodeBody(env);
    if (!Array.isArray(args)) throw new PeersError(Code.BAD_FRAME, `emit from "${from}": expected an argument array`);
    this.emitLocal(event, args, verdict === 'forward');
  }

  /** Emit on our own emitter, isolating listeners that throw; `forward: false` skips remote subscribers. */
  emitLocal(event: string, args: unknown[], forward = true): void {
    for (const listener of this.peerEvents.rawListeners(event)) {
      if (!forward && this.forwarderFns.has(listener)) continue;
      try {
        (listener as (...a: unknown[]) => void).apply(this.peerEvents, args);
      } catch (error) {
        this.ctx.report(
          this.ctx.name,
          new PeersError(Code.LISTENER_FAILED, `a listener of "${event}" threw: ${(error as Error)?.message}`, {
            cause: error,
          }),
        );
      }
    }
  }

  /** Emit `event` on peer `to`'s emitter. Returns whether it was handed to a live link. */
  emitTo(to: string, event: string, args: unknown[]): boolean {
    const route = this.ctx.routes.resolve(to);
    if (!route || route.link.closed) return false;
    let body: Buffer;
    try {
      body = encode(args, () => `emit("${event}") arguments`);
    } catch (error) {
      this.ctx.report(to, error as Error);
      return false;
    }
    route.link.send(writeHeader(MessageType.EMIT, this.ctx.ttl, to, this.ctx.name, event, body.length), body);
    return !route.link.closed;
  }

  /** A SUB, UNSUB or SUB_ACK passing through this node on its way: keep the table in step. */
  onTransit(env: Envelope, from: string): PeersError | undefined {
    const to = env.to;
    if (env.type === MessageType.SUB) {
      if (this.interests.countFor(from) >= this.ctx.maxInterestsPerPeer) {
        this.subAck(from, to, env.topic, this.tooManyInterests(from));
        return this.tooManyInterests(from);
      }
      this.interests.add(to, env.topic, from, this.ctx.routes.resolve(from)!.link, false);
    } else if (env.type === MessageType.UNSUB) {
      this.interests.remove(to, env.topic, from);
    } else if (env.type === MessageType.SUB_ACK) {
      const [error] = decodeBody(env) as [unknown];
      if (error) this.interests.remove(from, env.topic, to);
      else this.interests.activate(from, env.topic, to);
    }
    return undefined;
  }

  /** An UNSUB addressed to us. */
  onUnsubscribe(topic: string, origin: string): void {
    if (this.interests.remove(this.ctx.name, topic, origin)) this.detachForwarder(topic);
  }

  /** A SUB_ACK addressed to us: a refusal is reported and the interest dropped. */
  onSubAck(env: Envelope, source: string): void {
    const [error] = decodeBody(env) as [unknown];
    if (!error) return;
    this.interests.remove(source, env.topic, this.ctx.name);
    this.ctx.report(source, toError(error));
  }

  /** A peer left the mesh: drop its interests, detaching from emitters nobody listens to now. */
  originLost(name: string): void {
    // A federated hub withdraws a departed local peer's interests in other sites, whose hubs
    // never learn of local departures otherwise.
    if (this.ctx.federated && !isQualified(name)) {
      for (const [source, topic] of this.interests.entriesOfOrigin(name)) {
        const route = isQualified(source) ? this.ctx.routes.resolve(source) : undefined;
        if (route) this.sendSub(MessageType.UNSUB, route.link, source, name, topic);
      }
    }
    for (const [source, topic] of this.interests.removeOrigin(name))
      if (source === this.ctx.name) this.detachForwarder(topic);
  }

  close(): void {
    for (const topic of [...this.forwarders.keys()]) this.detachForwarder(topic);
  }
}
