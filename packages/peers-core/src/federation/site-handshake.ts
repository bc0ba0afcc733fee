/**
 * The handshake of a site link (docs/federation.md, "Site handshake"): the ordinary hello and
 * welcome between two hubs, whose `meta` carry `{site, federation: 1, instance, metadata, nonce}`,
 * then two SITE_AUTH messages. With a shared secret each side proves it knows the secret by an
 * HMAC-SHA256 over both sites, both nonces and the TLS session's exported keying material (so a
 * proof is worth nothing on another connection); the secret itself never crosses the link.
 *
 *     dialer                                   listener
 *     HELLO {site, nonceD, ...}          ->
 *                                        <-    WELCOME {site, nonceL, proofL}   (or REJECT)
 *     SITE_AUTH {proof: proofD}          ->    (dialer checked proofL)
 *                                        <-    SITE_AUTH {ok: true}             (or REJECT)
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Code, PeersError, type ErrorCode } from '../errors.js';
import { handshakeIn, handshakeOut, refuse, sendBody, type HandshakeInbox, type Hello } from '../mesh/handshake.js';
import type { Link } from '../link/link.js';
import { SITE_PATTERN, MessageType, decodeBody } from '../codec/wire.js';

/** Version of the site link protocol (the `federation` field of the hello/welcome meta). */
export const FEDERATION_VERSION = 1;

/** Who we are to other sites. */
export interface SiteSelf {
  /** The hub's peer name (`supervision`). */
  name: string;
  site: string;
  /** Random per hub run: tells a second link to a site apart from another hub using its name. */
  instance: string;
  metadata: Record<string, unknown>;
  /** Shared secret; undefined when trust is mutual TLS only. */
  secret: Buffer | undefined;
}

/** What we learn of the other site. */
export interface SitePeer {
  site: string;
  instance: string;
  metadata: Record<string, unknown>;
  /** The other hub's peer name. */
  name: string;
}

const LABEL = 'EXPORTER-weble-federation';

function binding(link: Link): string {
  return link.exportKeyingMaterial?.(32, LABEL)?.toString('hex') ?? '';
}

function proof(
  secret: Buffer,
  role: 'dialer' | 'listener',
  dialer: SitePeer | SiteSelf,
  listener: SitePeer | SiteSelf,
  nonces: [string, string],
  bound: string,
): Buffer {
  const input = JSON.stringify([
    'weble-federation-1',
    role,
    dialer.site,
    dialer.instance,
    listener.site,
    listener.instance,
    nonces[0],
    nonces[1],
    bound,
  ]);
  return createHmac('sha256', secret).update(input).digest();
}

function proven(secret: Buffer, claimed: unknown, expected: Buffer): boolean {
  if (!(claimed instanceof Uint8Array) || claimed.length !== expected.length) return false;
  return timingSafeEqual(claimed, expected) && secret.length > 0;
}

function str(meta: Record<string, unknown>, key: string): string | undefined {
  const v = meta[key];
  return typeof v === 'string' ? v : undefined;
}

/** Check the federation part of a hello/welcome meta; returns the site peer or throws a coded error. */
function readSiteMeta(meta: Record<string, unknown>, name: string, where: string): SitePeer & { nonce: string } {
  if (meta.federation === undefined) {
    throw new PeersError(
      Code.HANDSHAKE_FAILED,
      `${where}: "${name}" is not a federated hub (its handshake carries no federation version)`,
    );
  }
  if (meta.federation !== FEDERATION_VERSION) {
    throw new PeersError(
      Code.VERSION_MISMATCH,
      `${where}: federation version ${JSON.stringify(meta.federation)} is not supported (this hub speaks ${FEDERATION_VERSION})`,
    );
  }
  const site = meta.site;
  if (typeof site !== 'string' || !SITE_PATTERN.test(site))
    throw new PeersError(Code.INVALID_NAME, `${where}: invalid site name ${JSON.stringify(site)}`);
  const instance = str(meta, 'instance');
  const nonce = str(meta, 'nonce');
  if (!instance || !nonce)
    throw new PeersError(Code.HANDSHAKE_FAILED, `${where}: site "${site}" sent no instance or nonce`);
  const metadata =
    meta.metadata && typeof meta.metadata === 'object' && !Array.isArray(meta.metadata)
      ? (meta.metadata as Record<string, unknown>)
      : {};
  return { site, instance, metadata, name, nonce };
}

function selfMeta(self: SiteSelf, nonce: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    site: self.site,
    federation: FEDERATION_VERSION,
    instance: self.instance,
    metadata: self.metadata,
    nonce,
    ...extra,
  };
}

/** Dialing side. Resolves with the other site once both sides accepted; rejects with a coded reason. */
export async function siteHandshakeOut(inbox: HandshakeInbox, self: SiteSelf, timeoutMs: number): Promise<SitePeer> {
  const { link } = inbox;
  const nonceD = randomBytes(16).toString('hex');
  const welcome = await handshakeOut(
    inbox,
    { name: self.name, meta: selfMeta(self, nonceD), token: undefined },
    timeoutMs,
  );
  const fail = (error: PeersError): never => {
    refuse(link, error);
    throw error;
  };
  let other: SitePeer & { nonce: string };
  try {
    other = readSiteMeta(welcome.meta, welcome.name, link.remote);
  } catch (error) {
    return fail(error as PeersError);
  }
  if (other.site === self.site)
    fail(new PeersError(Code.SITE_TAKEN, `${link.remote} is site "${other.site}", our own site name`));
  const nonces: [string, string] = [nonceD, other.nonce];
  const bound = binding(link);
  if (self.secret) {
    const expected = proof(self.secret, 'listener', self, other, nonces, bound);
    if (!proven(self.secret, welcome.meta.proof, expected)) {
      fail(
        new PeersError(
          Code.WRONG_SECRET,
          `site "${other.site}" at ${link.remote} did not prove the shared secret (wrong secret, or none configured there)`,
        ),
      );
    }
  }
  sendBody(link, MessageType.SITE_AUTH, {
    proof: self.secret ? proof(self.secret, 'dialer', self, other, nonces, bound) : null,
  });
  const env = await inbox.next(timeoutMs, 'site acceptance');
  const body = decodeBody(env) as { code?: unknown; message?: unknown; ok?: unknown } | null;
  if (env.type === MessageType.REJECT || env.type === MessageType.NOTICE) {
    const error = new PeersError(
      String(body?.code ?? Code.HANDSHAKE_FAILED) as ErrorCode,
      `site "${other.site}" at ${link.remote} refused site "${self.site}": ${String(body?.message ?? 'no reason given')}`,
    );
    link.close(error);
    throw error;
  }
  if (env.type !== MessageType.SITE_AUTH || body?.ok !== true)
    fail(
      new PeersError(
        Code.HANDSHAKE_FAILED,
        `${link.remote}: expected the site acceptance, got message type ${env.type}`,
      ),
    );
  return other;
}

/**
 * Listening side: `admit` refuses a site (taken...) before the welcome. Resolves with the other
 * site once its proof checked out; otherwise rejects after telling it why (REJECT).
 */
export async function siteHandshakeIn(
  inbox: HandshakeInbox,
  self: SiteSelf,
  timeoutMs: number,
  admit: (peer: SitePeer) => PeersError | undefined,
): Promise<SitePeer> {
  const { link } = inbox;
  const nonceL = randomBytes(16).toString('hex');
  let other: (SitePeer & { nonce: string }) | undefined;
  const bound = binding(link);
  await handshakeIn(
    inbox,
    {
      name: self.name,
      meta: () =>
        selfMeta(self, nonceL, {
          proof:
            self.secret && other ? proof(self.secret, 'listener', other, self, [other.nonce, nonceL], bound) : null,
        }),
    },
    timeoutMs,
    async (hello: Hello) => {
      try {
        other = readSiteMeta(hello.meta, hello.name, hello.remote);
      } catch (error) {
        return error as PeersError;
      }
      if (other.site === self.site)
        return new PeersError(Code.SITE_TAKEN, `site name "${other.site}" is the listener's own`);
      return admit(other);
    },
  );
  const peer = other!;
  const reject = (error: PeersError): never => {
    refuse(link, error, true);
    throw error;
  };
  const env = await inbox.next(timeoutMs, 'site proof');
  if (env.type === MessageType.NOTICE || env.type === MessageType.REJECT) {
    // The dialer refused us (our proof, our site): report its reason.
    const why = decodeBody(env) as { code?: unknown; message?: unknown } | null;
    const error = new PeersError(
      String(why?.code ?? Code.HANDSHAKE_FAILED) as ErrorCode,
      `site "${peer.site}" at ${link.remote} refused site "${self.site}": ${String(why?.message ?? 'no reason given')}`,
    );
    link.close(error);
    throw error;
  }
  if (env.type !== MessageType.SITE_AUTH)
    reject(
      new PeersError(Code.HANDSHAKE_FAILED, `${link.remote}: expected the site proof, got message type ${env.type}`),
    );
  const body = decodeBody(env) as { proof?: unknown } | null;
  if (self.secret) {
    const expected = proof(self.secret, 'dialer', peer, self, [peer.nonce, nonceL], bound);
    if (!proven(self.secret, body?.proof, expected)) {
      reject(
        new PeersError(
          Code.WRONG_SECRET,
          `site "${peer.site}" at ${link.remote} did not prove the shared secret of "${self.site}" (wrong secret, or none configured)`,
        ),
      );
    }
  }
  sendBody(link, MessageType.SITE_AUTH, { ok: true });
  return { site: peer.site, instance: peer.instance, metadata: peer.metadata, name: peer.name };
}
