/** Test helpers for site links: certificates made by the test, federated hubs on loopback TLS ports from the OS. */
import selfsigned from 'selfsigned';
import type { FederateOptions, FederationHandle } from '../src/federation/federate.js';
import { createPeers, type Peers } from '../src/create-peers.js';

/** A self-signed certificate for 127.0.0.1 / localhost (sha256, RSA 2048). */
export function certificate(cn = 'weble-federation'): { cert: string; key: string } {
  const pems = selfsigned.generate([{ name: 'commonName', value: cn }], {
    days: 2,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export const SECRET = 'correct horse battery staple';
export const silent = { debug() {}, warn() {}, error() {} };

export interface Hub {
  site: string;
  peers: Peers;
  federation: FederationHandle;
  /** `{host, port}` of its site listener. */
  at: { host: string; port: number };
  errors: Array<{ peer: string; error: Error }>;
}

/** A federated hub `supervision` of `site`, listening on a port from the OS, linked to `peers`. */
export async function startHub(
  site: string,
  cert: { cert: string; key: string },
  wellKnownPeers: Hub[] = [],
  extra: Partial<FederateOptions> & { ttl?: number; name?: string; noSecret?: boolean } = {},
): Promise<Hub> {
  const { ttl, name, noSecret, ...federate } = extra;
  const peers = createPeers(name ?? 'supervision', {
    site,
    logger: silent,
    backoff: { initialMs: 20, maxMs: 200 },
    heartbeatMs: 1000,
    ...(ttl ? { ttl } : {}),
  });
  const errors: Hub['errors'] = [];
  peers.on('error', (peer: string, error: Error) => errors.push({ peer, error }));
  const federation = await peers.federate({
    listen: { host: '127.0.0.1', port: 0 },
    ...(noSecret ? {} : { secret: SECRET }),
    tls: cert,
    wellKnownPeers: wellKnownPeers.map((h) => h.at),
    metadata: { building: site },
    ...federate,
  });
  return { site, peers, federation, at: { host: '127.0.0.1', port: federation.port! }, errors };
}
