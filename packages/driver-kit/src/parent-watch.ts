/**
 * No orphans: a driver notices that its parent died and stops by itself. With an IPC channel
 * (started by the supervisor with `fork`) the channel's `disconnect` says so; without one, the
 * end of stdin when stdin is a pipe or a socket (the parent held the other end). A driver run
 * from a terminal or by systemd (stdin a TTY or /dev/null) watches nothing.
 */
import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** The parts of `process` the watch uses. */
export interface WatchedProcess {
  connected?: boolean;
  send?: unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  removeListener(event: 'disconnect', listener: () => void): unknown;
  stdin: Readable;
}

/** Whether file descriptor `fd` is a pipe or a socket (not a TTY, file or /dev/null). */
export function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** How the parent is watched: `ipc`, `stdin`, or `none`. */
export type ParentWatchKind = 'ipc' | 'stdin' | 'none';

/**
 * Call `onGone(reason)` once when the parent goes away. Returns how it is watched and a function
 * that stops watching.
 */
export function watchParent(
  onGone: (reason: string) => void,
  proc: WatchedProcess = process,
  stdinIsPipe: () => boolean = () => isPipe(0),
): { kind: ParentWatchKind; unwatch: () => void } {
  let fired = false;
  const gone = (reason: string): void => {
    if (fired) return;
    fired = true;
    onGone(reason);
  };
  if (typeof proc.send === 'function') {
    const onDisconnect = (): void => gone('the IPC channel to the parent closed');
    proc.once('disconnect', onDisconnect);
    if (proc.connected === false) queueMicrotask(onDisconnect);
    return { kind: 'ipc', unwatch: () => void proc.removeListener('disconnect', onDisconnect) };
  }
  if (stdinIsPipe()) {
    const stdin = proc.stdin;
    const onEnd = (): void => gone('stdin closed (the parent is gone)');
    stdin.on('end', onEnd);
    stdin.on('close', onEnd);
    stdin.on('error', onEnd);
    stdin.resume();
    return {
      kind: 'stdin',
      unwatch: () => {
        stdin.removeListener('end', onEnd);
        stdin.removeListener('close', onEnd);
        stdin.removeListener('error', onEnd);
        stdin.pause();
      },
    };
  }
  return { kind: 'none', unwatch: () => undefined };
}
