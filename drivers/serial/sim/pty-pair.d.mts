/** A running socat pty pair. */
export interface PtyPair {
  /** The driver's end (a symlink to a /dev/pts/N). */
  readonly driver: string;
  /** The device simulator's end. */
  readonly device: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stop socat (both ends hang up); resolves when it has exited. */
  stop(): Promise<void>;
}

/** Start `socat -d -d pty,raw,echo=0,link=<dir>/driver pty,raw,echo=0,link=<dir>/device`. */
export function startPtyPair(
  dir: string,
  options?: { driverName?: string; deviceName?: string; timeoutMs?: number },
): Promise<PtyPair>;
