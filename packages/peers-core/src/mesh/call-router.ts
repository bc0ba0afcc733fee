/**
 * Calls: sending them (with a pending entry that settles exactly once), answering the ones
 * addressed to us by invoking shared modules, and delivering results.
 */
import { encode } from '../codec/messagepack.js';
import { Code, PeersError, toError } from '../errors.js';
import type { MeshContext } from './router-context.js';
import type { ModuleDescription, ModuleRegistry } from './module-registry.js';
import { PendingCalls, type Settle } from './pending-calls.js';
import { MessageType, decodeBody, writeHeader, type Envelope } from '../codec/wire.js';

export class CallRouter {
  readonly pending = new PendingCalls();

  constructor(
    private readonly ctx: MeshContext,
    private readonly modules: ModuleRegistry,
  ) {}

  /** A call addressed to us. */
  onCall(env: Envelope, from: string): void {
    const body = decodeBody(env);
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
      (error, results) => this.reply(from, id, error, results, env.topic, method),
      (error) => this.ctx.report(from, error),
    );
  }

  /** A require addressed to us. */
  onDescribe(env: Envelope, from: string): void {
    const body = decodeBody(env);
    if (!Array.isArray(body) || typeof body[0] !== 'number')
      throw new PeersError(Code.BAD_FRAME, `require from "${from}": expected [id]`);
    let description: ModuleDescription;
    try {
      description = this.modules.describe(env.topic, from);
    } catch (error) {
      this.reply(from, body[0], error as Error, [], env.topic);
      return;
    }
    this.reply(from, body[0], null, [description], env.topic);
  }

  /**
   * Answer a call we cannot route with an error, as `as` (default: this node). Across sites a
   * transit hub answers as the destination, since a caller accepts results only from the peer
   * its call went to, and site links check senders per site.
   */
  replyError(to: string, call: Envelope, error: PeersError, as = this.ctx.name): void {
    let id: unknown;
    try {
      id = (decodeBody(call) as unknown[])[0];
    } catch {
      return;
    }
    if (typeof id === 'number') this.reply(to, id, error, [], call.topic, undefined, as);
  }

  private reply(
    to: string,
    id: number,
    error: Error | null,
    results: unknown[],
    module: string,
    method?: string,
    as = this.ctx.name,
  ): void {
    const route = this.ctx.routes.resolve(to);
    if (!route) return; // the caller is gone; its side already failed the call
    let body: Buffer;
    try {
      body = encode(
        [id, error, results],
        () => `${method === undefined ? `require("${module}")` : `${module}.${method}`} results`,
        results,
      );
    } catch (encodeError) {
      this.ctx.report(to, encodeError as Error);
      body = encode([id, encodeError, []]);
    }
    route.link.send(writeHeader(MessageType.RESULT, this.ctx.ttl, to, as, '', body.length), body);
  }

  /** Call `module.method(...args)` on peer `to`; `settle` runs exactly once, never synchronously. */
  call(to: string, module: string, method: string, args: unknown[], timeoutMs: number, settle: Settle): void {
    const route = this.ctx.routes.resolve(to);
    if (!route) {
      const error = new PeersError(Code.PEER_DISCONNECTED, `${module}.${method}: peer "${to}" is not connected`);
      process.nextTick(settle, error, []);
      return;
    }
    const id = this.pending.add(to, module, method, timeoutMs, settle);
    let body: Buffer;
    try {
      body = encode([id, method, args], () => `${module}.${method} arguments`, args);
    } catch (error) {
      process.nextTick(() => this.pending.settle(id, error as Error, []));
      return;
    }
    route.link.send(writeHeader(MessageType.CALL, this.ctx.ttl, to, this.ctx.name, module, body.length), body);
  }

  /** Ask peer `to` for the methods of `module`. */
  describe(to: string, module: string, timeoutMs: number, settle: Settle): void {
    const route = this.ctx.routes.resolve(to);
    const what = `require("${module}")`;
    if (!route) {
      process.nextTick(settle, new PeersError(Code.PEER_DISCONNECTED, `${what}: peer "${to}" is not connected`), []);
      return;
    }
    const id = this.pending.add(to, module, undefined, timeoutMs, settle);
    const body = encode([id]);
    route.link.send(writeHeader(MessageType.DESCRIBE, this.ctx.ttl, to, this.ctx.name, module, body.length), body);
  }

  /** A result addressed to us: settle the call, if `from` is the peer it went to. */
  onResult(env: Envelope, from: string): void {
    const body = decodeBody(env);
    if (!Array.isArray(body) || typeof body[0] !== 'number')
      throw new PeersError(Code.BAD_FRAME, `result from "${from}": expected [id, error, results]`);
    const results = Array.isArray(body[2]) ? (body[2] as unknown[]) : [];
    this.pending.settle(body[0], body[1] ? toError(body[1]) : null, results, from);
  }
}
