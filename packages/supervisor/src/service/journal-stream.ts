/**
 * Children's output in the systemd journal, tagged with their process. When the supervisor's own
 * stdout or stderr is the journal (JOURNAL_STREAM names its device and inode, as systemd sets it
 * for `StandardOutput=journal`), each child gets its own stream to journald (the socket
 * `/run/systemd/journal/stdout`, what systemd-cat uses) whose header makes the child's name its
 * SYSLOG_IDENTIFIER (`journalctl -u weble -t driver_modbus_1`). A line's priority follows its pino
 * level (`"level":50` is err), other stderr lines are err, other stdout lines info. The child's
 * log file is written as before; the journal gets a copy.
 */
import { fstatSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import type { Logger } from 'pino';

/** journald's stream socket; WEBLE_JOURNAL_SOCKET names another (tests, unusual systems). */
export const JOURNAL_SOCKET = '/run/systemd/journal/stdout';
/** Lines waiting for journald past this many bytes are dropped (a flooding child cannot grow the hub). */
const MAX_PENDING_BYTES = 1 << 20;

const PRIORITY = { err: 3, warning: 4, info: 6, debug: 7 } as const;

/** Whether fd 1 or 2 of this process is the journal stream JOURNAL_STREAM names. */
export function outputIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  const named = env.JOURNAL_STREAM;
  if (!named) return false;
  return [1, 2].some((fd) => {
    try {
      const stat = fstatSync(fd, { bigint: true });
      return `${stat.dev}:${stat.ino}` === named;
    } catch {
      return false;
    }
  });
}

/** The syslog priority of a line: its pino level when it is a pino JSON line, else by stream. */
export function linePriority(line: string, stderr: boolean): number {
  const level = /^\{"level":(\d+)/.exec(line)?.[1];
  if (level === undefined) return stderr ? PRIORITY.err : PRIORITY.info;
  const n = Number(level);
  return n >= 60 ? 2 : n >= 50 ? PRIORITY.err : n >= 40 ? PRIORITY.warning : n >= 30 ? PRIORITY.info : PRIORITY.debug;
}

export class JournalStream {
  private socket: Socket | undefined;
  private readonly partial = { out: '', err: '' };
  private dropped = 0;

  constructor(
    readonly identifier: string,
    private readonly logger: Logger,
    path: string = process.env.WEBLE_JOURNAL_SOCKET || JOURNAL_SOCKET,
  ) {
    const socket = createConnection(path);
    socket.on('error', (error) => {
      this.logger.warn(
        { err: error, journal: path },
        `${identifier}: its output no longer goes to the journal: ${error.message}`,
      );
      this.socket = undefined;
      socket.destroy();
    });
    // The stream header (systemd's stdout stream protocol): identifier, unit id, priority,
    // level prefix on, no forwarding to syslog, kmsg or console.
    socket.write(`${identifier}\n\n${PRIORITY.info}\n1\n0\n0\n0\n`);
    this.socket = socket;
  }

  /** A chunk of the child's stdout or stderr; whole lines are sent, each with its priority. */
  write(chunk: Buffer | string, stderr: boolean): void {
    const key = stderr ? 'err' : 'out';
    const lines = (this.partial[key] + chunk.toString()).split('\n');
    this.partial[key] = lines.pop() ?? '';
    for (const line of lines) this.send(line, stderr);
  }

  /** Send what is left of a partial line and close the stream. */
  close(): void {
    for (const key of ['out', 'err'] as const) if (this.partial[key]) this.send(this.partial[key], key === 'err');
    this.partial.out = this.partial.err = '';
    this.socket?.end();
    this.socket = undefined;
  }

  private send(line: string, stderr: boolean): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.writableLength > MAX_PENDING_BYTES) {
      this.dropped++;
      return;
    }
    if (this.dropped > 0) {
      socket.write(
        `<${PRIORITY.warning}>weble-supervisor: ${this.dropped} line(s) of ${this.identifier} dropped (journald too slow)\n`,
      );
      this.dropped = 0;
    }
    socket.write(`<${linePriority(line, stderr)}>${line}\n`);
  }
}
