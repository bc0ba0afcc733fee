/**
 * The `federation` section of site.yaml: defaults, paths resolved against the site directory,
 * every mistake reported with its path, the secret never printed, and the options given to
 * peers-core (secret file read, `tls: auto` made once and reused).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  federationOptions,
  printableConfig,
  staticDriverCatalog,
  validateSite,
  type FederationConfig,
} from '@weble/supervisor';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weble-fed-config-'));
  dirs.push(dir);
  return dir;
}

const catalog = staticDriverCatalog([]);
const SECRET = 'sixteen chars ok!';

function validate(federation: unknown, baseDir = '/srv/site') {
  return validateSite({ federation }, { baseDir, catalog });
}

function problems(federation: unknown): string[] {
  const result = validate(federation);
  if (result.ok) throw new Error('validated');
  return result.problems;
}

describe('site.yaml federation', () => {
  it('fills defaults and resolves paths against the site directory', () => {
    const result = validate({
      site: 'campus-a',
      listen: { port: 7443, tls: { cert: 'tls/c.pem', key: 'tls/k.pem', ca: '/etc/ca.pem' } },
      wellKnownPeers: { host: 'gw-b', port: 7443 },
      secretFile: 'secret.txt',
      metadata: { building: 'A' },
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.federation).toEqual({
      site: 'campus-a',
      listen: {
        host: '0.0.0.0',
        port: 7443,
        tls: { cert: '/srv/site/tls/c.pem', key: '/srv/site/tls/k.pem', ca: '/etc/ca.pem' },
      },
      wellKnownPeers: [{ host: 'gw-b', port: 7443 }],
      secretFile: '/srv/site/secret.txt',
      metadata: { building: 'A' },
    });
  });

  it('takes settleMs and actionTimeoutMs, checked, and hands them to peers-core', () => {
    expect(problems({ site: 'a', secret: SECRET, settleMs: 5 })).toEqual([
      expect.stringMatching(/^federation\.settleMs: /),
    ]);
    expect(problems({ site: 'a', secret: SECRET, actionTimeoutMs: 'soon' })).toEqual([
      expect.stringMatching(/^federation\.actionTimeoutMs: /),
    ]);
    const result = validate({ site: 'a', secret: SECRET, settleMs: 150, actionTimeoutMs: 2500 });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const options = federationOptions(result.config.federation as FederationConfig, tempDir());
    expect(options).toMatchObject({ settleMs: 150, actionTimeoutMs: 2500 });
  });

  it('reports every mistake with its path', () => {
    expect(problems({ site: 'Campus A', secret: SECRET })).toEqual([
      expect.stringMatching(/^federation\.site: expected a site name/),
    ]);
    expect(problems({ site: 'a' })).toEqual([
      'federation: expected a shared secret (secret or secretFile) or mutual TLS (tls: {ca, cert, key})',
    ]);
    expect(problems({ site: 'a', secret: 'short' })).toEqual([
      expect.stringMatching(/^federation\.secret: expected at least 16 characters/),
    ]);
    expect(problems({ site: 'a', secret: SECRET, secretFile: 'x' })).toEqual([
      'federation.secretFile: give secret or secretFile, not both',
    ]);
    expect(problems({ site: 'a', secret: SECRET, listen: { port: 1, plaintext: true, tls: 'auto' } })).toEqual([
      'federation.listen.plaintext: plaintext: true and tls exclude each other',
    ]);
    expect(problems({ site: 'a', secret: SECRET, listen: { port: 1, plaintext: false } })).toEqual([
      expect.stringMatching(/^federation\.listen\.plaintext: expected true/),
    ]);
    expect(
      problems({ site: 'a', tls: { cert: 'c', key: 'k', ca: 'ca' }, listen: { port: 1, plaintext: true } }),
    ).toEqual(['federation.listen.plaintext: plain TCP needs a shared secret (mutual TLS is not used then)']);
    expect(problems({ site: 'a', secret: SECRET, wellKnownPeers: [{ host: 'x', port: 0 }] })).toEqual([
      expect.stringMatching(/^federation\.wellKnownPeers(\[0\])?\.port/),
    ]);
    expect(problems({ site: 'a', secret: SECRET, wellKnowPeers: [] })).toEqual([
      expect.stringMatching(/^federation\.wellKnowPeers: unknown key/),
    ]);
  });

  it('never prints the secret', () => {
    const result = validate({ site: 'a', secret: SECRET });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(JSON.stringify(printableConfig(result.config))).not.toContain(SECRET);
  });

  it('gives peers-core the secret from its file and a self-signed certificate made once for tls: auto', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.txt'), `  ${SECRET}\n`);
    const result = validate(
      { site: 'a', secretFile: 'secret.txt', listen: { port: 0 }, wellKnownPeers: { host: 'gw-b', port: 7443 } },
      dir,
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const federation = result.config.federation as FederationConfig;
    const tlsDir = join(dir, 'run', 'federation-tls');
    const options = federationOptions(federation, tlsDir);
    expect(options).toMatchObject({
      secret: SECRET,
      listen: { host: '0.0.0.0', port: 0 },
      wellKnownPeers: [{ host: 'gw-b', port: 7443 }],
      metadata: {},
    });
    expect(options.tls?.cert).toMatch(/BEGIN CERTIFICATE/);
    expect(existsSync(join(tlsDir, 'web-key.pem'))).toBe(true);
    expect(federationOptions(federation, tlsDir).tls?.cert).toBe(options.tls?.cert);
    expect(() => federationOptions({ ...federation, secretFile: join(dir, 'missing.txt') }, tlsDir)).toThrow(
      /federation\.secretFile: cannot read .*missing\.txt/,
    );
  });
});
