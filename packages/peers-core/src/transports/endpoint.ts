/**
 * Endpoints: where to connect (`/run/x.sock`, `unix:/run/x.sock`, `tcp://host:port`,
 * `tls://host:port`, or an object) and where to listen (a path, `{port, host}`,
 * `{port, tls: {cert, key}}`).
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { Code, PeersError } from '../errors.js';

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tls'; host: string; port: number; tls: ConnectionOptions };

/** What `connect` accepts for one endpoint. */
export type EndpointInput =
  | string
  | { path: string }
  | { host?: string; port: number; tls?: ConnectionOptions | boolean };

/** What `listen` accepts. */
export type ListenInput =
  | string
  | { path: string; mode?: number }
  | { port: number; host?: string; tls?: TlsOptions };

export type ListenSpec =
  | { kind: 'unix'; path: string; mode: number }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tls'; host: string; port: number; tls: TlsOptions };

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

/** Parse one connect endpoint. `tlsDefaults` applies to `tls://` strings (ca, servername...). */
export function parseEndpoint(input: EndpointInput, tlsDefaults: ConnectionOptions = {}): Endpoint {
  if (typeof input === 'string') {
    if (input.length === 0) throw badEndpoint(input, 'empty string');
    const url = /^(tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(input);
    if (url) {
      const host = url[2]!.replace(/^\[|\]$/g, '');
      const port = parsePort(input, url[3]);
      return url[1] === 'tls' ? { kind: 'tls', host, port, tls: tlsDefaults } : { kind: 'tcp', host, port };
    }
    if (/^[a-z]+:\/\//.test(input)) throw badEndpoint(input, 'expected unix path, tcp://host:port or tls://host:port');
    return { kind: 'unix', path: input.replace(/^unix:/, '') };
  }
  if (input && typeof input === 'object') {
    if ('path' in input && typeof input.path === 'string') return { kind: 'unix', path: input.path };
    if ('port' in input) {
      const port = parsePort(input, input.port);
      const host = input.host ?? '127.0.0.1';
      if (input.tls) return { kind: 'tls', host, port, tls: input.tls === true ? tlsDefaults : { ...tlsDefaults, ...input.tls } };
      return { kind: 'tcp', host, port };
    }
  }
  throw badEndpoint(input, 'expected a UNIX socket path, tcp://host:port, tls://host:port or {host, port, tls}');
}

/** Parse a listen option. */
export function parseListen(input: ListenInput): ListenSpec {
  if (typeof input === 'string') {
    if (input.length === 0) throw badEndpoint(input, 'empty socket path');
    return { kind: 'unix', path: input.replace(/^unix:/, ''), mode: 0o600 };
  }
  if (input && typeof input === 'object') {
    if ('path' in input && typeof input.path === 'string') return { kind: 'unix', path: input.path, mode: input.mode ?? 0o600 };
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
  throw badEndpoint(input, 'expected a UNIX socket path, {port, host} or {port, tls: {cert, key}}');
}

/** A printable form of an endpoint, for logs and errors. */
export function describeEndpoint(e: Endpoint | ListenSpec): string {
  return e.kind === 'unix' ? `unix:${e.path}` : `${e.kind}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}
