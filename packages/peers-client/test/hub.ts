/**
 * A stand-in for the web server's WebSocket door: an HTTP server whose upgrades need the session
 * (query and Authorization header, both recorded), handed to a `supervision` peer with
 * `acceptWebSocket`; the hello's token must be the session too. It shares `system`.
 */
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { EventEmitter } from 'node:events';
import createPeers, { type Peers } from '@weble/peers-core';
import { WebSocketServer } from 'ws';

export interface Upgrade {
  session: string | null;
  authorization: string | undefined;
}

export interface Hub {
  port: number;
  peers: Peers;
  /** The shared module: `totalmem(cb)`, and an emitter. */
  system: EventEmitter & { totalmem(cb: (error: Error | null, bytes?: number) => void): void };
  upgrades: Upgrade[];
  close(): Promise<void>;
}

/** Start the hub on `port` (0: any free port), accepting `session` only; HTTPS with `tls`. */
export async function startHub(session: string, port = 0, tls?: { cert: string; key: string }): Promise<Hub> {
  const peers = createPeers('supervision', {
    authenticate: (hello) => hello.token === session || 'bad session token',
    logger: { debug() {}, warn() {}, error() {} },
  });
  const system = Object.assign(new EventEmitter(), {
    totalmem(cb: (error: Error | null, bytes?: number) => void): void {
      cb(null, os.totalmem());
    },
  });
  peers.share('system', system);
  const upgrades: Upgrade[] = [];
  const answer = (_req: http.IncomingMessage, res: http.ServerResponse): void => void res.writeHead(426).end();
  const server = tls ? https.createServer(tls, answer) : http.createServer(answer);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 + 4 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const upgrade = { session: url.searchParams.get('session'), authorization: req.headers.authorization };
    upgrades.push(upgrade);
    if (upgrade.session !== session) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      peers.acceptWebSocket(ws, { remote: `ws://${req.socket.remoteAddress}:${req.socket.remotePort}` }),
    );
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    peers,
    system,
    upgrades,
    async close(): Promise<void> {
      await peers.close();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
