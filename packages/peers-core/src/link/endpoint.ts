/**
 * Endpoints: where to connect (`/run/x.sock`, `unix:/run/x.sock`, `tcp://host:port`,
 * `tls://host:port`, `ws://host:port/path`, `wss://host:port/path`, or an object) and where to
 * listen (a path, `{port, host}`, `{port, tls: {cert, key}}`, `{port, path, ws: true, tls?}`).
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { Code, PeersError } from '../errors.js';

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tls'; host: string; port: number; tls: ConnectionOptions }
  | WsEndpoint;

/** A WebSocket endpoint: the URL, TLS options for `wss://`, and HTTP headers sent with the upgrade. */
export interface WsEndpoint {
  kind: 'ws';
  url: string;
  tls: ConnectionOptions;
  headers: Record<string, string>;
}

/** What `connect` accepts for one endpoint. */
export type EndpointInput =
  string | { path: string } | { host?: string; port: number; tls?: ConnectionOptions | boolean };

/** What `listen` accepts. */
export type ListenInput =
  | string
  | { path: string; mode?: number }
  | { port: number; host?: string; tls?: TlsOptions }
  | { port: number; host?: string; path?: string; ws: true; tls?: TlsOptions };

export type ListenSpec =
  | { kind: 'unix'; path: string; mode: number }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tls'; host: string; port: number; tls: TlsOptions }
  | WsListenSpec;

/** An HTTP (or HTTPS with `tls`) server taking WebSocket upgrades on `path` (any path when undefined). */
export interface WsListenSpec {
  kind: 'ws';
  host: string;
  port: number;
  path: string | undefined;
  tls: TlsOptions | undefined;
}

function badEndpoint(input: unknown, why: string): PeersError {
  return new PeersError(Code.BAD_ENDPOINT, `bad endpoint ${JSON.stringify(input)}: ${why}`);
}

function parsePort(input: unknown, port: unknown): number {
  const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw badEndpoint(input, `port must be an integer 0-65535, got ${JSON.stringify(port)}`);
  }
  return n;
}

/**
 * Parse one connect endpoint. `tlsDefaults` applies to `tls://` and `wss://` strings (ca,
 * servername...); `headers` are sent with WebSocket upgrades (a session cookie or token).
 */
export function parseEndpoint(
  input: EndpointInput,
  tlsDefaults: ConnectionOptions = {},
  headers: Record<string, string> = {},
): Endpoint {
  if (typeof input === 'string') {
    if (input.length === 0) throw badEndpoint(input, 'empty string');
    if (/^wss?:\/\//i.test(input)) return parseWsUrl(input, tlsDefaults, headers);
    const url = /^(tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(input);
    if (url) {
      const host = url[2]!.replace(/^\[|\]$/g, '');
      const port = parsePort(input, url[3]);
      return url[1] === 'tls' ? { kind: 'tls', host, port, tls: tlsDefaults } : { kind: 'tcp', host, port };
    }
    if (/^[a-z]+:\/\//.test(input))
      throw badEndpoint(
        input,
        'expected unix path, tcp://host:port, tls://host:port, ws://host:port/path or wss://host:port/path',
      );
    return { kind: 'unix', path: input.replace(/^unix:/, '') };
  }
  if (input && typeof input === 'object') {
    if ('path' in input && typeof input.path === 'string') return { kind: 'unix', path: input.path };
    if ('port' in input) {
      const port = parsePort(input, input.port);
      const host = input.host ?? '127.0.0.1';
      if (input.tls)
        return { kind: 'tls', host, port, tls: input.tls === true ? tlsDefaults : { ...tlsDefaults, ...input.tls } };
      return { kind: 'tcp', host, port };
    }
  }
  throw badEndpoint(
    input,
    'expected a UNIX socket path, tcp://host:port, tls://host:port, ws(s)://host:port/path or {host, port, tls}',
  );
}

function parseWsUrl(input: string, tls: ConnectionOptions, headers: Record<string, string>): WsEndpoint {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw badEndpoint(input, 'not a valid URL');
  }
  if (url.hostname === '') throw badEndpoint(input, 'no host');
  if (url.port !== '') parsePort(input, url.port);
  return { kind: 'ws', url: url.href, tls, headers };
}

/** Parse a listen option. */
export function parseListen(input: ListenInput): ListenSpec {
  if (typeof input === 'string') {
    if (input.length === 0) throw badEndpoint(input, 'empty socket path');
    return { kind: 'unix', path: input.replace(/^unix:/, ''), mode: 0o600 };
  }
  if (input && typeof input === 'object') {
    if ('ws' in input) {
      if (input.ws !== true) throw badEndpoint(input, 'ws must be true');
      const port = parsePort(input, input.port);
      if (input.path !== undefined && (typeof input.path !== 'string' || !input.path.startsWith('/'))) {
        throw badEndpoint(input, `ws path must start with "/", got ${JSON.stringify(input.path)}`);
      }
      if (input.tls && (!input.tls.cert || !input.tls.key)) throw badEndpoint(input, 'tls needs both cert and key');
      return { kind: 'ws', host: input.host ?? '127.0.0.1', port, path: input.path, tls: input.tls };
    }
    if ('path' in input && typeof input.path === 'string')
      return { kind: 'unix', path: input.path, mode: input.mode ?? 0o600 };
    if ('port' in input) {
      const port = parsePort(input, input.port);
      const host = input.host ?? '127.0.0.1';
      if (input.tls) {
        if (!input.tls.cert || !input.tls.key) throw badEndpoint(input, 'tls needs both cert and key');
        return { kind: 'tls', host, port, tls: input.tls };
      }
      return { kind: 'tcp', host, port };
    }
  }
  throw badEndpoint(
    input,
    'expected a UNIX socket path, {port, host}, {port, tls: {cert, key}} or {port, path, ws: true}',
  );
}

/** A printable form of an endpoint, for logs and errors (a WebSocket URL without its query). */
export function describeEndpoint(e: Endpoint | ListenSpec): string {
  if (e.kind === 'unix') return `unix:${e.path}`;
  if (e.kind === 'ws' && 'url' in e) {
    const url = new URL(e.url);
    return `${url.protocol}//${url.host}${url.pathname}`;
  }
  const host = `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  if (e.kind === 'ws') return `${e.tls ? 'wss' : 'ws'}://${host}${e.path ?? '/'}`;
  return `${e.kind}://${host}`;
}
