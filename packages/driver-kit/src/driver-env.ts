/**
 * The environment of a driver process (`WEBLE_HUB`, `WEBLE_PEER_NAME`) checked without zod: every
 * driver checks it on start, also when its configuration needs no validation. The same rules as
 * `driverEnvSchema` (schemas.ts; test/schemas.test.ts compares them).
 */
import { PEER_NAME_PATTERN } from './config-message.js';

/** Result of a parse: the value, or every problem as a `path: problem` line. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** What a driver process reads from its environment. */
export interface DriverEnv {
  /** The hub's endpoint (a UNIX socket path, or `tcp://host:port`). */
  WEBLE_HUB: string;
  /** The peer name; default `driver_<type>_<id>`. */
  WEBLE_PEER_NAME?: string | undefined;
}

/** Validate the process environment; problems as `env.NAME: problem` lines. */
export function parseDriverEnv(env: NodeJS.ProcessEnv): ParseResult<DriverEnv> {
  const hub = env.WEBLE_HUB ?? '';
  const peerName = env.WEBLE_PEER_NAME || undefined;
  const problems: string[] = [];
  if (hub === '') problems.push('env.WEBLE_HUB: required: the endpoint of the hub (e.g. /run/weble/supervision.sock)');
  if (peerName !== undefined && !PEER_NAME_PATTERN.test(peerName))
    problems.push(`env.WEBLE_PEER_NAME: Invalid string: must match pattern ${String(PEER_NAME_PATTERN)}`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { WEBLE_HUB: hub, ...(peerName === undefined ? {} : { WEBLE_PEER_NAME: peerName }) } };
}
