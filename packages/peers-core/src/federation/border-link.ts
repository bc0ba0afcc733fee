/**
 * A site link seen from its hub: the link to another site's hub, which qualifies senders on the
 * way out. Leaving the site, a `from` without `@` (a local peer, or the hub itself) becomes
 * `from@<our site>`; qualified senders (transit from other sites) and control messages (empty
 * `from`) leave as they are. Arriving messages are checked and translated by the federation.
 */
import type { FrameHandler } from '../codec/frame-decoder.js';
import { HEADER_BYTES } from '../codec/frame-decoder.js';
import type { Link, LinkKind } from '../link/link.js';
import type { PeersError } from '../errors.js';
import { readEnvelope, senderNeedsSite, writeHeader } from '../codec/wire.js';
import { qualified } from '../codec/address.js';

export class BorderLink implements Link {
  /** The neighbour's site, known after the handshake. */
  neighbour = '';

  constructor(
    readonly inner: Link,
    private readonly site: string,
  ) {}

  get kind(): LinkKind {
    return this.inner.kind;
  }
  get remote(): string {
    return this.inner.remote;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  get lastReceived(): number {
    return this.inner.lastReceived;
  }
  get lastSent(): number {
    return this.inner.lastSent;
  }
  get whenClosed(): Promise<void> {
    return this.inner.whenClosed;
  }
  set onframe(f: FrameHandler) {
    this.inner.onframe = f;
  }
  get onframe(): FrameHandler {
    return this.inner.onframe;
  }
  set onclose(f: (error?: Error) => void) {
    this.inner.onclose = f;
  }
  get onclose(): (error?: Error) => void {
    return this.inner.onclose;
  }
  set onerror(f: (error: PeersError) => void) {
    this.inner.onerror = f;
  }
  get onerror(): (error: PeersError) => void {
    return this.inner.onerror;
  }

  close(error?: Error): void {
    this.inner.close(error);
  }

  exportKeyingMaterial(length: number, label: string): Buffer | undefined {
    return this.inner.exportKeyingMaterial?.(length, label);
  }

  /** `prefix` holds the length and the whole header (and, for relayed frames, the body too). */
  send(prefix: Buffer, body?: Buffer): void {
    if (!senderNeedsSite(prefix, HEADER_BYTES)) {
      this.inner.send(prefix, body);
      return;
    }
    const env = readEnvelope(prefix, HEADER_BYTES, prefix.length);
    const rest = prefix.subarray(env.bodyStart);
    const payload =
      body === undefined || body.length === 0 ? rest : rest.length === 0 ? body : Buffer.concat([rest, body]);
    this.inner.send(
      writeHeader(env.type, env.ttl, env.to, qualified(env.from, this.site), env.topic, payload.length),
      payload,
    );
  }
}
