/**
 * loadSiteConfig on real files in temp directories, with the real `virtual` driver resolved by
 * the default catalog: defaults, resolved paths, driver schemas, every kind of problem at once.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../src/config/index.js';
import { BROKEN_PROBLEMS, siteText, tempDirs, withoutPlacesTried } from './fixtures/sites.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

async function load(yaml: string) {
  const dir = await dirs.make({ 'site.yaml': yaml });
  return { dir, result: await loadSiteConfig(join(dir, 'site.yaml')) };
}

async function problemsOf(yaml: string): Promise<string[]> {
  const { result } = await load(yaml);
  if (result.ok) throw new Error('expected problems, the site is valid');
  return result.problems;
}

const GATEWAY = 'gateways: [{ id: 1, type: virtual, config: {} }]\n';

describe('loadSiteConfig: a valid site', () => {
  it('fills in defaults, also the driver schemas ones', async () => {
    const { result } = await load(await siteText('valid.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { config } = result;
    expect(config.gateways.map((g) => [g.id, g.enabled, g.config])).toEqual([
      [1, true, { tickMs: 100 }],
      ['plant-b', false, { tickMs: 1000 }],
    ]);
    expect(config.http).toMatchObject({ port: 0, host: '127.0.0.1', origins: ['https://scada.example.com'] });
    expect(config.routes[0]).toEqual({ id: 1, from: 'boiler.supply', to: '0/0/1', scale: 0.5, offset: 0 });
    expect(config.routes[1]?.map).toEqual({ true: 1, false: 0 });
    expect(config.logics[0]?.enabled).toBe(true);
    expect(config.supervision).toEqual({
      startTimeoutMs: 10_000,
      stopTimeoutMs: 5_000,
      restart: {
        initialMs: 500,
        maxMs: 30_000,
        stableMs: 60_000,
        maxRestarts: 3,
        withinMs: 60_000,
        failedRetryMs: 300_000,
      },
      logs: { dir: '/var/log/weble', maxBytes: 1_048_576, keep: 3 },
    });
  });

  it('resolves relative paths against the directory of site.yaml, not the working directory', async () => {
    const { dir, result } = await load(await siteText('valid.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { config } = result;
    expect(config.hub.socket).toBe(join(dir, 'run/supervision.sock'));
    expect(config.http?.tls).toEqual({ cert: join(dir, 'tls/cert.pem'), key: join(dir, 'tls/key.pem') });
    expect(config.logics[0]?.file).toBe(join(dir, 'logics/thermostat.ts'));
    expect(config.supervision.logs.dir).toBe('/var/log/weble');
  });

  it('refers each address to its gateway by the gateway id itself ("1" -> 1) and keeps the driver point output', async () => {
    const { result } = await load(await siteText('valid.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.addresses.map((a) => [a.key, a.gateway])).toEqual([
      ['4/7/25', 1],
      ['0/0/1', 1],
      ['0/0/2', 'plant-b'],
    ]);
    expect(result.config.addresses[2]?.point).toEqual({
      type: 'boolean',
      simulate: { kind: 'toggle', periodMs: 1000 },
    });
  });

  it('carries the driver of each type used, with the absolute path of its bin', async () => {
    const { result } = await load(await siteText('valid.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const virtual = result.config.drivers.virtual;
    expect(Object.keys(result.config.drivers)).toEqual(['virtual']);
    expect(virtual?.type).toBe('virtual');
    expect(isAbsolute(virtual?.bin ?? '')).toBe(true);
    expect(virtual?.bin).toMatch(/drivers\/virtual\/dist\/bin\.cjs$/);
    expect(existsSync(virtual?.bin ?? '')).toBe(true);
  });

  it('defaults every optional section; empty list sections are empty lists', async () => {
    const { dir, result } = await load(`${GATEWAY}routes:\nlogics:\n`);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.hub.socket).toBe(join(dir, 'run/supervision.sock'));
    expect(result.config.http).toBeUndefined();
    expect([result.config.users, result.config.addresses, result.config.routes, result.config.logics]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(result.config.supervision.logs.dir).toBe(join(dir, 'run/logs'));
  });
});

describe('loadSiteConfig: problems', () => {
  it('reports every problem of broken.yaml at once, in file order, with its line', async () => {
    const { result } = await load(await siteText('broken.yaml'));
    if (result.ok) throw new Error('broken.yaml validated');
    expect(result.problems.map(withoutPlacesTried)).toEqual(BROKEN_PROBLEMS.map(([, problem]) => problem));
    expect(result.details.map((d) => d.line)).toEqual(BROKEN_PROBLEMS.map(([line]) => line));
  });

  it('gives the example of the issue word for word', async () => {
    const yaml =
      'gateways:\n' +
      '  - { id: 1, type: virtual, config: {} }\n' +
      '  - { id: 2, type: virtual, config: {} }\n' +
      '  - { id: 3, type: virtual, config: { tickMs: "502x" } }\n';
    expect(await problemsOf(yaml)).toEqual(['gateways[2].config.tickMs: expected number, received string']);
  });

  it('reports a YAML syntax error with its line and column, and validates nothing else', async () => {
    const { result } = await load(await siteText('syntax-error.yaml'));
    if (result.ok) throw new Error('validated');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^line 3, column 1: YAML syntax: Flow map in block collection/);
    expect(result.details[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('reports duplicate YAML keys as syntax errors', async () => {
    expect(await problemsOf(`${GATEWAY}gateways: []\n`)).toEqual([
      'line 2, column 1: YAML syntax: Map keys must be unique',
    ]);
  });

  it('reports an empty file and a missing file', async () => {
    expect(await problemsOf('# nothing yet\n')).toEqual([
      '(root): the file is empty (expected at least gateways, or hub, users, logics...)',
    ]);
    const result = await loadSiteConfig(join(await dirs.make(), 'missing.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^cannot read .*missing\.yaml: no such file$/),
    ]);
  });

  it('reports a document that is not a mapping and list sections that are not lists', async () => {
    expect(await problemsOf('- 1\n- 2\n')).toEqual(['(root): expected object, received array']);
    expect(await problemsOf('gateways: { id: 1 }\n')).toEqual(['gateways: expected array, received object']);
  });

  it('says which keys are allowed where an unknown one is', async () => {
    expect(await problemsOf(`${GATEWAY}supervision: { logs: { maxbytes: 10 } }\n`)).toEqual([
      'supervision.logs.maxbytes: unknown key (expected one of: dir, maxBytes, keep)',
    ]);
    expect(await problemsOf(`${GATEWAY}http: { port: 80, tls: { cert: a.pem, key: b.pem, ca: c.pem } }\n`)).toEqual([
      'http.tls.ca: unknown key (expected one of: cert, key)',
    ]);
  });

  it('explains unions: tls as "auto" or files, ids as numbers or short names', async () => {
    expect(await problemsOf(`${GATEWAY}http: { port: 80, tls: yes }\n`)).toEqual([
      'http.tls: expected "auto" or { cert, key }, received string ("yes")',
    ]);
    expect(await problemsOf('gateways: [{ id: -1, type: virtual, config: {} }]\n')).toEqual([
      'gateways[0].id: expected number to be >=0',
    ]);
    expect(await problemsOf('gateways: [{ id: true, type: virtual, config: {} }]\n')).toEqual([
      'gateways[0].id: expected number or string, received boolean',
    ]);
  });

  it('checks a route does not write to its own source', async () => {
    const yaml = `${GATEWAY}addresses: [{ key: a, gateway: 1, name: first, point: { type: number } }]\nroutes: [{ id: 1, from: a, to: first }]\n`;
    expect(await problemsOf(yaml)).toEqual([
      'routes[0].to: same address as from (addresses[0]): a route to itself would loop',
    ]);
  });

  it('treats 1 and "1" as the same gateway id (both would be driver_virtual_1)', async () => {
    const yaml = 'gateways: [{ id: 1, type: virtual, config: {} }, { id: "1", type: virtual, config: {} }]\n';
    expect(await problemsOf(yaml)).toEqual(['gateways[1].id: duplicate gateway id "1" (first at gateways[0])']);
  });

  it('rejects a hub socket path too long for a UNIX socket', async () => {
    const problems = await problemsOf(`hub: { socket: ./${'s'.repeat(120)}.sock }\n`);
    expect(problems).toEqual([
      expect.stringMatching(/^hub\.socket: \/.* is too long for a UNIX socket \(\d+ bytes, at most 107\)/),
    ]);
  });

  it('rejects origins that are not origins and usernames with spaces', async () => {
    const yaml = `http: { port: 80, origins: ["https://a.example.com/path"] }\nusers: [{ username: "john doe", passwordHash: "scrypt$16384$8$1$AAAA$BBBB" }]\n`;
    expect(await problemsOf(yaml)).toEqual([
      'http.origins[0]: expected an origin like https://scada.example.com (scheme, host and port only)',
      'users[0].username: expected 1-64 characters without spaces',
    ]);
  });

  it('names the user of an unknown role (ROLE_UNKNOWN), and usernames whose sessions would look alike', async () => {
    const hash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';
    const yaml =
      `users:\n` +
      `  - { username: ada, role: admin, passwordHash: "${hash}" }\n` +
      `  - { username: bob, role: superuser, passwordHash: "${hash}" }\n` +
      `  - { username: "a/b", passwordHash: "${hash}" }\n` +
      `  - { username: a_b, role: viewer, passwordHash: "${hash}" }\n`;
    expect(await problemsOf(yaml)).toEqual([
      'users[1].role: ROLE_UNKNOWN: user "bob" has the unknown role "superuser" (expected viewer, operator, admin)',
      'users[3].username: USER_NAME_CLASH: "a_b" and "a/b" (users[2]) give web sessions the same peer name; ' +
        'rename one (letters, digits, _ . ~ - are kept as they are)',
    ]);
  });

  it('gives a user without a role the viewer role', async () => {
    const hash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';
    const { result: loaded } = await load(`users: [{ username: ada, passwordHash: "${hash}" }]\n`);
    expect(loaded.ok && loaded.config.users).toEqual([{ username: 'ada', passwordHash: hash, role: 'viewer' }]);
  });
});
