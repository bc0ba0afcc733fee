/**
 * A node of the mesh: its links, the route table, calls, subscriptions and event forwarding.
 * Every peer is a node; hubs (`supervision`, `webserver`) are nodes with many links. Messages go
 * hop by hop; the first hop stamps the sender; events follow the interest table.
 */
import { EventEmitter } from 'node:events';
import { decode, encode } from './codec.js';
import { Code, PeersError, toError } from './errors.js';
import { earlyFrames, handshakeIn, handshakeOut, refuse, type Authenticate, type Hello, type Welcome } from './handshake.js';
import { InterestTable } from './interests.js';
import type { Link } from './link.js';
import { emitterOf, ModuleRegistry, type ModuleDescription } from './modules.js';
import { PendingCalls, type Settle } from './pending-calls.js';
import { RouteTable } from './routes.js';
import { T, assertName, readEnvelope, writeHeader, type Envelope, type MessageType } from './wire.js';

/** Minimal structured logger (pino-compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MeshOptions {
  name: string;
  meta: Record<string, unknown>;
  token: unknown;
  ttl: number;
  handshakeTimeoutMs: number;
  heartbeatMs: number;
  maxInterestsPerPeer: number;
  authenticate: Authenticate | undefined;
}

/** What the mesh tells the API layer. */
export interface MeshHooks {
  connect(name: string): void;
  disconnect(name: string): void;
  error(peer: string, error: Error): void;
}

/** Local receiver of a subscribed remote event. */
export type Sink = (args: unknown[]) => void;

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

export class Mesh {
  readonly modules: ModuleRegistry;
  readonly peerEvents = new EventEmitter();
  private readonly routes = new RouteTable();
  private readonly pending = new PendingCalls();
  private readonly interests = new InterestTable();
  private readonly sinks = new Map<string, Map<string, Sink>>();
  private readonly forwarders = new Map<string, Forwarder>();
  private readonly linkNames = new Map<Link, string>();
  private readonly admitting = new Set<string>();
  private readonly handshaking = new Set<Link>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    readonly options: MeshOptions,
    private readonly hooks: MeshHooks,
  ) {
    this.modules = new ModuleRegistry(options.name);
    this.peerEvents.setMaxListeners(0);
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

  /** Links that finished the handshake. */
  links(): Link[] {
    return [...this.linkNames.keys()];
  }

  // ---- links -------------------------------------------------------------------------------

  /** Dialing side of a new link: handshake, then join. Resolves with the welcome. */
  async attachOutgoing(link: Link): Promise<Welcome> {
    this.handshaking.add(link);
    try {
      const welcome = await handshakeOut(link, { name: this.name, meta: this.options.meta, token: this.options.token }, this.options.handshakeTimeoutMs);
      if (this.closed) throw new PeersError(Code.CLOSED, `peers "${this.name}" is closed`);
      if (welcome.name === this.name || this.routes.has(welcome.name)) {
        const error = new PeersError(Code.NAME_TAKEN, `${link.remote} is "${welcome.name}", a name already reached through another link`);
        refuse(link, error);
        throw error;
      }
      this.up(link, welcome.name);
      return welcome;
    } finally {
      this.handshaking.delete(link);
    }
  }

  /** Listening side of a new link: wait for hello, admit, join. Failures are reported, not thrown. */
  attachIncoming(link: Link): void {
    if (this.closed) {
      link.close();
      return;
    }
    this.handshaking.add(link);
    let reserved: string | undefined;
    handshakeIn(link, { name: this.name, meta: this.options.meta }, this.options.handshakeTimeoutMs, async (hello) => {
      const refusal = await this.admit(hello);
      if (!refusal) {
        reserved = hello.name;
        this.admitting.add(hello.name);
      }
      return refusal;
    })
      .then((hello) => {
        if (reserved) this.admitting.delete(reserved);
        if (link.closed || this.closed) return;
        this.up(link, hello.name);
      })
      .catch((error: Error) => {
        if (reserved) this.admitting.delete(reserved);
        this.hooks.error(link.remote, error);
      })
      .finally(() => this.handshaking.delete(link));
  }

  private async admit(hello: Hello): Promise<PeersError | undefined> {
    if (hello.name === this.name || this.routes.has(hello.name) || this.admitting.has(hello.name)) {
      return new PeersError(Code.NAME_TAKEN, `name "${hello.name}" is already taken on the mesh`);
    }
    if (!this.options.authenticate) return undefined;
    let verdict: boolean | string;
    try {
      verdict = await this.options.authenticate(hello);
    } catch (error) {
      verdict = `authentication failed: ${(error as Error).message}`;
    }
    if (verdict === true) {
      if (this.routes.has(hello.name) || this.admitting.has(hello.name)) return new PeersError(Code.NAME_TAKEN, `name "${hello.name}" is already taken on the mesh`);
      return undefined;
    }
    return new PeersError(Code.UNAUTHORIZED, typeof verdict === 'string' ? verdict : `"${hello.name}" is not authorized`);
  }

  private up(link: Link, name: string): void {
    this.linkNames.set(link, name);
    link.onframe = (frame) => this.receive(link, frame);
    link.onerror = (error) => {
      this.hooks.error(name, error);
      refuse(link, error);
    };
    link.onclose = (error) => this.down(link, error);
    this.routes.add(name, link, 1);
    this.sendRoutes(link, this.routes.advertisementFor(link), []);
    this.announce(link, [[name, 1]], []);
    this.gained(name);
    this.startHeartbeat();
    const early = earlyFrames.get(link);
    earlyFrames.delete(link);
    for (const frame of early ?? []) if (!link.closed) this.receive(link, frame);
  }

  private down(link: Link, error?: Error): void {
    const name = this.linkNames.get(link);
    if (name === undefined) return;
    this.linkNames.delete(link);
    if (error && !this.closed) this.hooks.error(name, error);
    const lost = this.routes.removeLink(link);
    this.announce(link, [], lost);
    for (const lostName of lost) this.lost(lostName, `link to ${link.remote} closed${error ? `: ${error.message}` : ''}`);
  }

  private gained(name: string): void {
    this.replaySubscriptions(name);
    this.hooks.connect(name);
  }

  private lost(name: string, reason: string): void {
    this.pending.failPeer(name, reason);
    for (const [source, topic] of this.interests.removeOrigin(name)) if (source === this.name) this.detachForwarder(topic);
    this.hooks.disconnect(name);
  }

  // ---- routes ------------------------------------------------------------------------------

  private sendRoutes(link: Link, added: Array<[string, number]>, removed: string[]): void {
    if (added.length === 0 && removed.length === 0) return;
    const body = encode([added, removed]);
    link.send(writeHeader(T.ROUTES, 0, '', '', '', body.length), body);
  }

  /** Tell every other link about routes gained and lost through `via`. */
  private announce(via: Link, added: Array<[string, number]>, removed: string[]): void {
    for (const link of this.linkNames.keys()) if (link !== via) this.sendRoutes(link, added, removed);
  }

  private onRoutes(link: Link, body: unknown): void {
    if (!Array.isArray(body) || !Array.isArray(body[0]) || !Array.isArray(body[1])) {
      throw new PeersError(Code.BAD_FRAME, 'routes message: expected [added, removed] arrays');
    }
    const added: Array<[string, number]> = [];
    const removed: string[] = [];
    for (const entry of body[0] as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[1] !== 'number') throw new PeersError(Code.BAD_FRAME, `routes message: bad entry ${JSON.stringify(entry)}`);
      const name: unknown = entry[0];
      assertName(name, 'name in routes message');
      const hops = entry[1] + 1;
      const result = name === this.name ? 'conflict' : this.routes.add(name, link, hops);
      if (result === 'conflict') {
        refuse(link, new PeersError(Code.NAME_TAKEN, `route to "${name}" refused: the name is already on the mesh`));
        return;
      }
      if (result === 'added') {
        added.push([name, hops]);
        this.gained(name);
      }
    }
    for (const name of body[1] as unknown[]) {
      if (typeof name === 'string' && this.routes.remove(name, link)) {
        removed.push(name);
        this.lost(name, `${name} left the mesh`);
      }
    }
    this.announce(link, added, removed);
  }

  // ---- receiving ---------------------------------------------------------------------------

  private receive(link: Link, frame: Buffer): void {
    let env: Envelope;
    try {
      env = readEnvelope(frame);
    } catch (error) {
      this.hooks.error(this.linkNames.get(link) ?? link.remote, error as Error);
      refuse(link, error as PeersError);
      return;
    }
    try {
      this.dispatch(link, env);
    } catch (error) {
      // A well-framed message with a bad body: tell the sender, keep the link.
      const e = error instanceof PeersError ? error : new PeersError(Code.BAD_FRAME, `message type ${env.type}: ${(error as Error).message}`);
      this.hooks.error(this.linkNames.get(link) ?? link.remote, e);
      this.notice(link, e);
    }
  }

  private notice(link: Link, error: PeersError): void {
    const body = encode({ code: error.code, message: error.message });
    link.send(writeHeader(T.NOTICE, 0, '', '', '', body.length), body);
  }

  private dispatch(link: Link, env: Envelope): void {
    const type = env.type;
    if (type === T.PING) return;
    if (type === T.ROUTES) return this.onRoutes(link, decode(env.body));
    if (type === T.NOTICE) {
      const body = decode(env.body) as { code?: unknown; message?: unknown } | null;
      this.hooks.error(this.linkNames.get(link) ?? link.remote, new PeersError(String(body?.code ?? Code.BAD_FRAME) as PeersError['code'], `notice from ${this.linkNames.get(link)}: ${String(body?.message)}`));
      return;
    }
    if (type === T.HELLO || type === T.WELCOME || type === T.REJECT) {
      throw new PeersError(Code.HANDSHAKE_FAILED, `unexpected handshake message type ${type} on an open link`);
    }
    // Routed messages: the first hop stamps the sender; later hops check it came the right way.
    let from = env.from;
    if (from === '') from = this.linkNames.get(link)!;
    else if (this.routes.get(from)?.link !== link) {
      throw new PeersError(Code.SPOOFED_SENDER, `message claims to be from "${from}", who is not reached through ${this.linkNames.get(link)}`);
    }
    if (type === T.EVENT) return this.onEvent(link, env, from);
    if (env.to === this.name) return this.deliver(link, env, from);
    if (env.ttl <= 1) {
      const e = new PeersError(Code.HOP_LIMIT, `message from "${from}" to "${env.to}" dropped at "${this.name}": hop limit reached`);
      if (type === T.CALL || type === T.DESCRIBE) this.replyError(from, env.body, e);
      else throw e;
      return;
    }
    this.transit(link, env, from);
  }

  private forward(env: Envelope, from: string, to: string, link: Link): void {
    link.send(writeHeader(env.type, env.ttl - 1, to, from, env.topic, env.body.length), env.body);
  }

  private transit(_link: Link, env: Envelope, from: string): void {
    const to = env.to;
    const route = this.routes.get(to);
    switch (env.type) {
      case T.SUB:
        if (this.interests.countFor(from) >= this.options.maxInterestsPerPeer) {
          this.subAck(from, to, env.topic, this.tooManyInterests(from));
          return;
        }
        this.interests.add(to, env.topic, from, this.routes.get(from)!.link, false);
        break;
      case T.UNSUB:
        this.interests.remove(to, env.topic, from);
        break;
      case T.SUB_ACK: {
        const [error] = decode(env.body) as [unknown];
        if (error) this.interests.remove(from, env.topic, to);
        else this.interests.activate(from, env.topic, to);
        break;
      }
      default:
    }
    if (route) this.forward(env, from, to, route.link);
    else if (env.type === T.CALL || env.type === T.DESCRIBE) {
      this.replyError(from, env.body, new PeersError(Code.PEER_DISCONNECTED, `no route from "${this.name}" to peer "${to}"`));
    }
  }

  private deliver(link: Link, env: Envelope, from: string): void {
    switch (env.type) {
      case T.CALL:
        return this.onCall(env, from);
      case T.DESCRIBE:
        return this.onDescribe(env, from);
      case T.RESULT: {
        const body = decode(env.body);
        if (!Array.isArray(body) || typeof body[0] !== 'number') throw new PeersError(Code.BAD_FRAME, `result from "${from}": expected [id, error, results]`);
        const results = Array.isArray(body[2]) ? (body[2] as unknown[]) : [];
        this.pending.settle(body[0], body[1] ? toError(body[1]) : null, results, from);
        return;
      }
      case T.SUB:
        return this.onSubscribe(link, env.topic, from);
      case T.UNSUB:
        if (this.interests.remove(this.name, env.topic, from)) this.detachForwarder(env.topic);
        return;
      case T.SUB_ACK: {
        const [error] = decode(env.body) as [unknown];
        if (error) {
          this.interests.remove(from, env.topic, this.name);
          this.hooks.error(from, toError(error));
        }
        return;
      }
      case T.EMIT: {
        const args = decode(env.body);
        if (!Array.isArray(args)) throw new PeersError(Code.BAD_FRAME, `emit from "${from}": expected an argument array`);
        this.emitLocal(env.topic, args);
        return;
      }
      default:
        throw new PeersError(Code.BAD_FRAME, `message type ${env.type} cannot be addressed to a peer`);
    }
  }

  // ---- calls -------------------------------------------------------------------------------

  private onCall(env: Envelope, from: string): void {
    const body = decode(env.body);
    if (!Array.isArray(body) || typeof body[0] !== 'number' || typeof body[1] !== 'string' || !Array.isArray(body[2])) {
      throw new PeersError(Code.BAD_FRAME, `call from "${from}" to module "${env.topic}": expected [id, method, args]`);
    }
    const id = body[0];
    const method = body[1];
    this.modules.invoke(
      env.topic,
      method,
      body[2] as unknown[],
      from,
      (error, results) => this.reply(from, id, error, results, `${env.topic}.${method}`),
      (error) => this.hooks.error(from, error),
    );
  }

  private onDescribe(env: Envelope, from: string): void {
    const body = decode(env.body);
    if (!Array.isArray(body) || typeof body[0] !== 'number') throw new PeersError(Code.BAD_FRAME, `require from "${from}": expected [id]`);
    let description: ModuleDescription;
    try {
      description = this.modules.describe(env.topic, from);
    } catch (error) {
      this.reply(from, body[0], error as Error, [], `require("${env.topic}")`);
      return;
    }
    this.reply(from, body[0], null, [description], `require("${env.topic}")`);
  }

  private replyError(to: string, callBody: Buffer, error: PeersError): void {
    let id: unknown;
    try {
      id = (decode(callBody) as unknown[])[0];
    } catch {
      return;
    }
    if (typeof id === 'number') this.reply(to, id, error, [], 'call');
  }

  private reply(to: string, id: number, error: Error | null, results: unknown[], what: string): void {
    const route = this.routes.get(to);
    if (!route) return; // the caller is gone; its side already failed the call
    let body: Buffer;
    try {
      body = encode([id, error, results], `${what} results`, results);
    } catch (encodeError) {
      this.hooks.error(to, encodeError as Error);
      body = encode([id, encodeError, []]);
    }
    route.link.send(writeHeader(T.RESULT, this.options.ttl, to, '', '', body.length), body);
  }

  /** Call `module.method(...args)` on peer `to`; `settle` runs exactly once, never synchronously. */
  call(to: string, module: string, method: string, args: unknown[], timeoutMs: number, settle: Settle): void {
    const what = `${module}.${method}`;
    const route = this.routes.get(to);
    if (!route) {
      const error = new PeersError(Code.PEER_DISCONNECTED, `${what}: peer "${to}" is not connected`);
      process.nextTick(settle, error, []);
      return;
    }
    const id = this.pending.add(to, what, timeoutMs, settle);
    let body: Buffer;
    try {
      body = encode([id, method, args], `${what} arguments`, args);
    } catch (error) {
      process.nextTick(() => this.pending.settle(id, error as Error, []));
      return;
    }
    route.link.send(writeHeader(T.CALL, this.options.ttl, to, '', module, body.length), body);
  }

  /** Ask peer `to` for the methods of `module`. */
  describe(to: string, module: string, timeoutMs: number, settle: Settle): void {
    const route = this.routes.get(to);
    const what = `require("${module}")`;
    if (!route) {
      process.nextTick(settle, new PeersError(Code.PEER_DISCONNECTED, `${what}: peer "${to}" is not connected`), []);
      return;
    }
    const id = this.pending.add(to, what, timeoutMs, settle);
    const body = encode([id]);
    route.link.send(writeHeader(T.DESCRIBE, this.options.ttl, to, '', module, body.length), body);
  }

  // ---- events ------------------------------------------------------------------------------

  /** Listen locally to `topic` of `source`; sends the interest now or when the route appears. */
  subscribe(source: string, topic: string, sink: Sink): void {
    let topics = this.sinks.get(source);
    if (!topics) this.sinks.set(source, (topics = new Map()));
    topics.set(topic, sink);
    this.interests.add(source, topic, this.name, null, true);
    const route = this.routes.get(source);
    if (route) this.sendSub(T.SUB, route.link, source, '', topic);
  }

  /** Withdraw a local interest. */
  unsubscribe(source: string, topic: string): void {
    const topics = this.sinks.get(source);
    if (!topics?.delete(topic)) return;
    if (topics.size === 0) this.sinks.delete(source);
    this.interests.remove(source, topic, this.name);
    const route = this.routes.get(source);
    if (route) this.sendSub(T.UNSUB, route.link, source, '', topic);
  }

  private sendSub(type: MessageType, link: Link, source: string, origin: string, topic: string): void {
    link.send(writeHeader(type, this.options.ttl, source, origin, topic, 0));
  }

  private replaySubscriptions(source: string): void {
    const route = this.routes.get(source);
    if (!route) return;
    for (const { topic, origin } of this.interests.entriesOf(source)) {
      this.sendSub(T.SUB, route.link, source, origin === this.name ? '' : origin, topic);
    }
  }

  private subAck(to: string, source: string, topic: string, error: Error | null): void {
    const route = this.routes.get(to);
    if (!route) return;
    const body = encode([error]);
    route.link.send(writeHeader(T.SUB_ACK, this.options.ttl, to, source === this.name ? '' : source, topic, body.length), body);
  }

  private tooManyInterests(origin: string): PeersError {
    return new PeersError(Code.BAD_ARGUMENT, `peer "${origin}" listens to more than ${this.options.maxInterestsPerPeer} events (maxInterestsPerPeer)`);
  }

  /** Owner side: a remote peer wants `topic` of ours. */
  private onSubscribe(link: Link, topic: string, origin: string): void {
    const sep = topic.indexOf(SEP);
    const scope = topic.slice(0, sep);
    const event = topic.slice(sep + 1);
    let emitter: EventEmitter | undefined = this.peerEvents;
    try {
      if (sep < 0 || event.length === 0) throw new PeersError(Code.BAD_ARGUMENT, `bad event topic ${JSON.stringify(topic)}`);
      if (scope !== '') {
        emitter = emitterOf(this.modules.authorize(scope, origin));
        if (!emitter) throw new PeersError(Code.BAD_ARGUMENT, `module "${scope}" on "${this.name}" does not emit events`);
      }
      if (this.interests.countFor(origin) >= this.options.maxInterestsPerPeer) throw this.tooManyInterests(origin);
    } catch (error) {
      this.subAck(origin, this.name, topic, error as Error);
      return;
    }
    this.interests.add(this.name, topic, origin, link, true);
    if (!this.forwarders.has(topic)) this.attachForwarder(topic, emitter, event);
    this.subAck(origin, this.name, topic, null);
  }

  private attachForwarder(topic: string, emitter: EventEmitter, event: string): void {
    const fn = (...args: unknown[]): void => this.publish(topic, event, args);
    emitter.on(event, fn);
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
    for (const topic of this.interests.topicsOf(this.name)) {
      if (!topic.startsWith(scope + SEP)) continue;
      this.detachForwarder(topic);
      if (emitter) this.attachForwarder(topic, emitter, topic.slice(scope.length + 1));
    }
  }

  /** Send one of our events to every link with a listener behind it. */
  private publish(topic: string, event: string, args: unknown[]): void {
    const links = this.interests.linksFor(this.name, topic);
    if (links.length === 0) return;
    let body: Buffer;
    try {
      body = encode(args, `event "${event}" arguments`);
    } catch (error) {
      this.hooks.error(this.name, error as Error);
      return;
    }
    const prefix = writeHeader(T.EVENT, this.options.ttl, '', '', topic, body.length);
    for (const link of links) link.send(prefix, body);
  }

  private onEvent(link: Link, env: Envelope, source: string): void {
    const links = this.interests.linksFor(source, env.topic);
    if (links.length > 0 && env.ttl > 1) {
      const prefix = writeHeader(T.EVENT, env.ttl - 1, '', source, env.topic, env.body.length);
      for (const out of links) if (out !== link) out.send(prefix, env.body);
    }
    const sink = this.sinks.get(source)?.get(env.topic);
    if (!sink) return;
    const args = decode(env.body);
    if (!Array.isArray(args)) throw new PeersError(Code.BAD_FRAME, `event from "${source}": expected an argument array`);
    sink(args);
  }

  /** Emit on our own emitter, isolating listeners that throw. */
  emitLocal(event: string, args: unknown[]): void {
    for (const listener of this.peerEvents.rawListeners(event)) {
      try {
        (listener as (...a: unknown[]) => void).apply(this.peerEvents, args);
      } catch (error) {
        this.hooks.error(this.name, new PeersError(Code.LISTENER_FAILED, `a listener of "${event}" threw: ${(error as Error)?.message}`, { cause: error }));
      }
    }
  }

  /** Emit `event` on peer `to`'s emitter. Returns whether it was handed to a live link. */
  emitTo(to: string, event: string, args: unknown[]): boolean {
    const route = this.routes.get(to);
    if (!route || route.link.closed) return false;
    let body: Buffer;
    try {
      body = encode(args, `emit("${event}") arguments`);
    } catch (error) {
      this.hooks.error(to, error as Error);
      return false;
    }
    route.link.send(writeHeader(T.EMIT, this.options.ttl, to, '', event, body.length), body);
    return !route.link.closed;
  }

  // ---- liveness ----------------------------------------------------------------------------

  private startHeartbeat(): void {
    if (this.heartbeat || this.options.heartbeatMs <= 0) return;
    const every = this.options.heartbeatMs;
    const ping = writeHeader(T.PING, 0, '', '', '', 0);
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const [link, name] of this.linkNames) {
        if (now - link.lastReceived > every * 3) {
          link.close(new PeersError(Code.HEARTBEAT_TIMEOUT, `"${name}" at ${link.remote} sent nothing for ${now - link.lastReceived} ms (heartbeat ${every} ms)`));
        } else if (now - link.lastSent >= every / 2) {
          link.send(ping);
        }
      }
      if (this.linkNames.size === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    }, every);
    this.heartbeat.unref();
  }

  /** Close every link and fail every pending call. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const link of [...this.linkNames.keys(), ...this.handshaking]) link.close();
    this.pending.failAll(`peers "${this.name}" closed`, Code.CLOSED);
    for (const topic of [...this.forwarders.keys()]) this.detachForwarder(topic);
  }

  /** Close every link without closing the node (used by disconnect()). */
  closeLinks(filter: (link: Link) => boolean): void {
    for (const link of [...this.linkNames.keys()]) if (filter(link)) link.close();
  }
}
