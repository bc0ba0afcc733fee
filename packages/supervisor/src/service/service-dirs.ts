/**
 * The directories systemd makes for the service (`RuntimeDirectory=`, `StateDirectory=`,
 * `LogsDirectory=`) and names in RUNTIME_DIRECTORY, STATE_DIRECTORY and LOGS_DIRECTORY: when set,
 * they are the defaults of site.yaml's paths (the hub socket, the site's data, the logs). A path
 * written in site.yaml always wins; without those variables the defaults stay under `./run`.
 */
import { dirname, isAbsolute, join } from 'node:path';

type ServiceDirVariable = 'RUNTIME_DIRECTORY' | 'STATE_DIRECTORY' | 'LOGS_DIRECTORY';

/** The first directory systemd lists in `variable` (it joins several with ':'), if absolute. */
export function serviceDir(variable: ServiceDirVariable, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const first = env[variable]?.split(':')[0];
  return first && isAbsolute(first) ? first : undefined;
}

/** `hub.socket` when site.yaml has none: `$RUNTIME_DIRECTORY/supervision.sock`, else `./run/supervision.sock`. */
export function defaultHubSocket(): string {
  const runtime = serviceDir('RUNTIME_DIRECTORY');
  return runtime ? join(runtime, 'supervision.sock') : './run/supervision.sock';
}

/** `supervision.logs.dir` when site.yaml has none: `$LOGS_DIRECTORY`, else `./run/logs`. */
export function defaultLogsDir(): string {
  return serviceDir('LOGS_DIRECTORY') ?? './run/logs';
}

/** `history.dir` when site.yaml has none: `$STATE_DIRECTORY/history`, else `./run/history`. */
export function defaultHistoryDir(): string {
  const state = serviceDir('STATE_DIRECTORY');
  return state ? join(state, 'history') : './run/history';
}

/**
 * Where the site keeps what must survive a restart besides history (the audit trail, the web
 * server's TLS certificate and sessions, federation keys, northbound buffers): `$STATE_DIRECTORY`
 * under systemd (the runtime directory is emptied at every stop), else beside the hub socket.
 */
export function siteDataDir(socket: string): string {
  return serviceDir('STATE_DIRECTORY') ?? dirname(socket);
}
