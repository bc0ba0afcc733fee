/**
 * Keeps an outgoing connection up: dials the endpoints in turn (failover), handshakes, and when
 * the link drops or a dial fails waits a backoff delay (exponential, with jitter) and tries again.
 */
import { Code, PeersError } from '../errors.js';
import type { Backoff } from './backoff.js';
import type { Link, LinkLimits } from './link.js';
import { describeEndpoint, type Endpoint } from './endpoint.js';

/**
 * Opens one link to `endpoint`; rejects on failure or when `signal` aborts. Passed in, so that
 * a transport-free build (a browser bundle) carries only the transports it has.
 */
export type Dial = (endpoint: Endpoint, limits: LinkLimits, signal: AbortSignal) => Promise<Link>;

/** Handshake refusals that retrying cannot fix. */
const FATAL = new Set<string>([
  Code.VERSION_MISMATCH,
  Code.INVALID_NAME,
  Code.UNAUTHORIZED,
  Code.WRONG_SECRET,
  Code.CERT_REJECTED,
]);

/** Handshake and join over a new outgoing link (the mesh's, or the federation's for site links). */
export type Attach = (link: Link) => Promise<unknown>;

export class Connector {
  private readonly abort = new AbortController();
  private link: Link | undefined;
  private stopped = false;
  private finished!: () => void;
  /** Resolves when the connector gave up (a refusal retrying cannot fix) or was stopped. */
  readonly done = new Promise<void>((resolve) => {
    this.finished = resolve;
  });

  constructor(
    private readonly attach: Attach,
    private readonly endpoints: Endpoint[],
    private readonly limits: LinkLimits,
    private readonly backoff: Backoff,
    private readonly onError: (where: string, error: Error, repeated: boolean) => void,
    private readonly dialTimeoutMs: number,
    private readonly dial: Dial,
  ) {}

  /** Whether `link` is this connector's current link. */
  owns(link: Link): boolean {
    return this.link === link;
  }

  start(): void {
    void this.run().finally(() => this.finished());
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.link?.close();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let index = 0;
    while (!this.stopped) {
      const endpoint = this.endpoints[index % this.endpoints.length]!;
      const where = describeEndpoint(endpoint);
      try {
        const link = await this.dialWithTimeout(endpoint);
        this.link = link;
        if (this.stopped) {
          link.close();
          return;
        }
        await this.attach(link);
        attempt = 0;
        await link.whenClosed;
      } catch (error) {
        if (this.stopped) return;
        // The first failure of an outage is reported; the retries after it only at debug level.
        // A refusal that stops the retries is always reported.
        const fatal = error instanceof PeersError && FATAL.has(error.code);
        this.onError(where, error as Error, attempt > 0 && !fatal);
        if (fatal) {
          this.stopped = true;
          return;
        }
        index++;
        attempt++;
      }
      if (this.stopped) return;
      await sleep(this.backoff(attempt), this.abort.signal);
    }
  }

  private async dialWithTimeout(endpoint: Endpoint): Promise<Link> {
    const timeout = AbortSignal.timeout(this.dialTimeoutMs);
    const signal = AbortSignal.any([this.abort.signal, timeout]);
    return this.dial(endpoint, this.limits, signal).catch((error: Error) => {
      if (timeout.aborted)
        throw new PeersError(
          Code.TIMEOUT,
          `connecting to ${describeEndpoint(endpoint)} took over ${this.dialTimeoutMs} ms`,
        );
      throw error;
    });
  }
}

/**
 * Wait `ms`, or less when `signal` aborts. The abort listener is removed when the timer fires: the
 * signal lives as long as the connector, and a peer retrying for days must not pile up listeners.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
