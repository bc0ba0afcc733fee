/**
 * Where a driver's configuration comes from: the first IPC message `{type: 'weble:config', ...}`
 * when the process has an IPC channel (started by the supervisor); otherwise `--config <file.json>`
 * or the `WEBLE_CONFIG` environment variable (JSON text), for a driver run by hand.
 */
import { readFileSync } from 'node:fs';
import { DriverCode, DriverError, describeValue } from './errors.js';
import { CONFIG_MESSAGE_TYPE } from './config-message.js';

/** The IPC side of a process: `process` itself when it has a channel. */
export interface IpcChannel {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  removeListener(event: 'message', listener: (message: unknown) => void): unknown;
}

/** What {@link receiveConfig} reads; each field defaults to the real process. */
export interface ConfigSources {
  /** Command-line arguments after the script. Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `process` when `process.send` exists, else none. */
  ipc?: IpcChannel | undefined;
  /** Default `readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
  /** How long to wait for the IPC message, ms. Default 10 000. */
  timeoutMs?: number;
}

/** A configuration before validation, with where it came from (for messages). */
export interface RawConfig {
  raw: unknown;
  origin: string;
  /** Whether it came from the parent over IPC (the only source that may say it was validated already). */
  fromParent: boolean;
}

/** The value of `--config <file>` or `--config=<file>`, if any. */
export function configFileArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new DriverError(DriverCode.NO_CONFIG, '--config needs a file path');
      return next;
    }
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DriverError(DriverCode.BAD_CONFIG, `${origin}: not valid JSON: ${(error as Error).message}`);
  }
}

/** Wait for the first IPC message; it must be a `weble:config` message. */
function fromIpc(ipc: IpcChannel, timeoutMs: number): Promise<RawConfig> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ipc.removeListener('message', onMessage);
      reject(new DriverError(DriverCode.NO_CONFIG, `no ${CONFIG_MESSAGE_TYPE} IPC message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown): void => {
      clearTimeout(timer);
      ipc.removeListener('message', onMessage);
      const type = (message as { type?: unknown } | null)?.type;
      if (type !== CONFIG_MESSAGE_TYPE) {
        const shown =
          typeof message === 'object' && message !== null ? `type ${describeValue(type)}` : describeValue(message);
        reject(
          new DriverError(
            DriverCode.BAD_CONFIG,
            `first IPC message: expected type "${CONFIG_MESSAGE_TYPE}", got ${shown}`,
          ),
        );
        return;
      }
      resolve({ raw: message, origin: `IPC message ${CONFIG_MESSAGE_TYPE}`, fromParent: true });
    };
    ipc.on('message', onMessage);
  });
}

/** Read the raw configuration from the first source that applies; throws a coded DriverError. */
export async function receiveConfig(sources: ConfigSources = {}): Promise<RawConfig> {
  const ipc = 'ipc' in sources ? sources.ipc : typeof process.send === 'function' ? process : undefined;
  if (ipc) return fromIpc(ipc, sources.timeoutMs ?? 10_000);
  const argv = sources.argv ?? process.argv.slice(2);
  const file = configFileArgument(argv);
  if (file !== undefined) {
    const origin = `--config ${file}`;
    let text: string;
    try {
      text = (sources.readFile ?? ((path: string) => readFileSync(path, 'utf8')))(file);
    } catch (error) {
      throw new DriverError(DriverCode.NO_CONFIG, `${origin}: cannot read: ${(error as Error).message}`);
    }
    return { raw: parseJson(text, origin), origin, fromParent: false };
  }
  const env = sources.env ?? process.env;
  const text = env.WEBLE_CONFIG;
  if (text !== undefined && text !== '')
    return { raw: parseJson(text, 'WEBLE_CONFIG'), origin: 'WEBLE_CONFIG', fromParent: false };
  throw new DriverError(
    DriverCode.NO_CONFIG,
    `no configuration: expected a ${CONFIG_MESSAGE_TYPE} IPC message (when started by the supervisor), --config <file.json> or WEBLE_CONFIG`,
  );
}
