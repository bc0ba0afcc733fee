/**
 * Liveness of links: every `every` ms, a link that received nothing for three intervals is closed
 * with HEARTBEAT_TIMEOUT, and a link we have not written to for half an interval gets a PING.
 * One timer per node, running only while it has links.
 */
import { Code, PeersError } from '../errors.js';
import type { Link } from '../link/link.js';
import { MessageType, writeHeader } from '../codec/wire.js';

export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | undefined;

  private readonly maps: ReadonlyArray<ReadonlyMap<Link, string>>;

  /** Each map of `links` maps open links to their peer's name. */
  constructor(
    private readonly every: number,
    ...links: ReadonlyArray<ReadonlyMap<Link, string>>
  ) {
    this.maps = links;
  }

  /** Make sure the timer runs (no-op when disabled or already running). */
  start(): void {
    if (this.timer || this.every <= 0) return;
    const ping = writeHeader(MessageType.PING, 0, '', '', '', 0);
    this.timer = setInterval(() => {
      const now = Date.now();
      let size = 0;
      for (const links of this.maps) {
        size += links.size;
        for (const [link, name] of links) {
          if (now - link.lastReceived > this.every * 3) {
            link.close(
              new PeersError(
                Code.HEARTBEAT_TIMEOUT,
                `"${name}" at ${link.remote} sent nothing for ${now - link.lastReceived} ms (heartbeat ${this.every} ms)`,
              ),
            );
          } else if (now - link.lastSent >= this.every / 2) {
            link.send(ping);
          }
        }
      }
      if (size === 0) this.stop();
    }, this.every);
    this.timer.unref?.(); // absent in browsers, where timers are numbers
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
