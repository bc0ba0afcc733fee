/**
 * One dial attempt that an AbortSignal can cut short, written once for every transport: the
 * attempt settles exactly once, with the link when the connection opens, with the connection's
 * error, or, when `signal` aborts first, with `PEERS_CLOSED` "connection to <where> aborted"
 * after the connection was dropped.
 */
import { Code, PeersError } from '../errors.js';
import type { Link } from './link.js';

/** What a transport's attempt reports; calls after the first are ignored. */
export interface DialAttempt {
  opened(link: Link): void;
  failed(error: Error): void;
}

/**
 * Run `start`, which opens a connection, reports to the attempt, and returns how to drop the
 * connection (called on abort). The connection's error listener must stay until it opens: a
 * socket dropped while connecting may still report an error, which must not go unheard.
 */
export function dialWithAbort(
  where: string,
  signal: AbortSignal | undefined,
  start: (attempt: DialAttempt) => () => void,
): Promise<Link> {
  return new Promise<Link>((resolve, reject) => {
    let done = false;
    const settle = (): boolean => {
      if (done) return false;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!settle()) return;
      drop();
      reject(new PeersError(Code.CLOSED, `connection to ${where} aborted`));
    };
    const drop = start({
      opened: (link) => {
        if (settle()) resolve(link);
      },
      failed: (error) => {
        if (settle()) reject(error);
      },
    });
    if (done) return;
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
