/**
 * systemd's notify protocol (sd_notify(3)) for a `Type=notify` unit: `READY=1` once the site is
 * up, `WATCHDOG=1` every half of `WATCHDOG_USEC` (when the watchdog is meant for this process),
 * `STATUS=...` lines, `STOPPING=1` when it stops. Each message is one datagram to the UNIX
 * datagram socket named by NOTIFY_SOCKET (a path, or `@name` in the abstract namespace). Node has
 * no UNIX datagram sockets: `node-unix-socket` (an N-API addon with prebuilt binaries, loaded
 * only when NOTIFY_SOCKET is set) sends them. Outside systemd every call does nothing.
 */
import type { Logger } from 'pino';

export interface ServiceNotifier {
  /** Whether a service manager listens (NOTIFY_SOCKET was set). */
  readonly enabled: boolean;
  /** The heartbeat period in ms, when systemd asked for one (half of WATCHDOG_USEC). */
  readonly watchdogMs: number | undefined;
  ready(status?: string): void;
  status(text: string): void;
  stopping(): void;
  /** Stop the heartbeat and close the socket. */
  close(): void;
}

interface DatagramSocket {
  sendTo(
    buf: Buffer,
    offset: number,
    length: number,
    destPath: string,
    onWrite?: (err: undefined | Error) => void,
  ): void;
  close(): void;
}

const VARIABLES = ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'] as const;

/** The heartbeat period asked by systemd for this process: half of WATCHDOG_USEC, in ms. */
export function watchdogPeriodMs(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return undefined;
  // WATCHDOG_PID names the process the watchdog is for (another one when inherited).
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2_000));
}

/**
 * The notifier of this process. The variables are taken out of `process.env` (as sd_notify's
 * `unset_environment`): children must not speak for the service.
 */
export async function serviceNotifier(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<ServiceNotifier> {
  const target = env.NOTIFY_SOCKET;
  const watchdogMs = target ? watchdogPeriodMs(env) : undefined;
  for (const name of VARIABLES) delete env[name];
  if (!target) return { enabled: false, watchdogMs: undefined, ready() {}, status() {}, stopping() {}, close() {} };

  const address = target.startsWith('@') ? `\0${target.slice(1)}` : target;
  let socket: DatagramSocket | undefined;
  try {
    const { DgramSocket } = await import('node-unix-socket');
    socket = new DgramSocket();
  } catch (error) {
    logger.error(
      { err: error, notifySocket: target },
      `cannot speak to systemd (NOTIFY_SOCKET): ${(error as Error).message}`,
    );
  }
  let warned = false;
  const send = (message: string): void => {
    if (!socket) return;
    const data = Buffer.from(message);
    try {
      socket.sendTo(data, 0, data.length, address, (error) => {
        if (error && !warned) {
          warned = true;
          logger.warn({ err: error, notifySocket: target }, `systemd notification not delivered: ${error.message}`);
        }
      });
    } catch (error) {
      if (!warned)
        logger.warn({ err: error, notifySocket: target }, `systemd notification not sent: ${(error as Error).message}`);
      warned = true;
    }
  };
  const heartbeat = watchdogMs === undefined ? undefined : setInterval(() => send('WATCHDOG=1'), watchdogMs);
  heartbeat?.unref();
  if (watchdogMs !== undefined) logger.info({ watchdogMs }, 'systemd watchdog: heartbeat every %d ms', watchdogMs);
  return {
    enabled: true,
    watchdogMs,
    ready: (status) => send(status ? `READY=1\nSTATUS=${oneLine(status)}` : 'READY=1'),
    status: (text) => send(`STATUS=${oneLine(text)}`),
    stopping: () => send('STOPPING=1\nSTATUS=stopping'),
    close: () => {
      if (heartbeat) clearInterval(heartbeat);
      socket?.close();
      socket = undefined;
    },
  };
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
