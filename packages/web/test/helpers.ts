/** Test helpers: a running web server with users, JSON requests over http(s), upgrade probes, waiting for events. */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, md5Hex } from '../src/password.js';
import WebSocket from 'ws';
import type { WebUser } from '../src/index.js';

/** A logger that drops everything. */
export const silent = { debug() {}, warn() {}, error() {} };

/**
 * A stand-in for the client bundle: the real one is built by @weble/peers-client (not wired in
 * yet); these tests only check that /auth passes the injected source through.
 */
export const FAKE_CONNECT = {
  source: '(function fakeConnect(data, callback) { callback(null, data.peer) })',
  etag: 'fake-bundle-1',
};

/** users: admin/secret and operator/op-pass, hashed as site.yaml holds them. */
export async function testUsers(): Promise<WebUser[]> {
  return [
    { username: 'admin', passwordHash: await hashPassword(md5Hex('secret')) },
    { username: 'operator', passwordHash: await hashPassword(md5Hex('op-pass')) },
  ];
}

/** A fresh temp dir and its removal. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'web-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A settable clock. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface JsonReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Source address (127.0.0.x) to look like another client. */
  localAddress?: string;
  /** CA for https. */
  ca?: string;
}

/** One HTTP(S) request; `body` is sent as is when a string, as JSON otherwise. */
export function request(url: string, body?: unknown, options: RequestOptions = {}): Promise<JsonReply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | number> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST /auth with md5(password). */
export function login(
  baseUrl: string,
  username: string,
  password: string,
  options: RequestOptions = {},
): Promise<JsonReply> {
  return request(`${baseUrl}/auth`, { username, password: md5Hex(password) }, options);
}

/** The status a WebSocket upgrade gets: 101 when it opens, else the HTTP status. */
/** Log in as the test admin; fails the test unless the gateway answers 200. Returns POST /auth's body. */
export async function adminSession(baseUrl: string): Promise<{ session: string; peer: string; ws: string }> {
  const reply = await login(baseUrl, 'admin', 'secret');
  if (reply.status !== 200) throw new Error(`POST /auth answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body as { session: string; peer: string; ws: string };
}

export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

export { waitFor } from '@weble/peers-core/testing';
