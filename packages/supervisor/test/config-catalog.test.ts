/**
 * Driver types: the default catalog finds bundled drivers from the supervisor package and
 * third-party drivers from the site directory; a broken driver package is a problem, not a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigCode,
  defaultDriverCatalog,
  loadSiteConfig,
  requireDriver,
  staticDriverCatalog,
  validateSite,
  type DriverInfo,
} from '../src/config/index.js';
import { importTarget } from '../src/config/schema-module.js';
import { tempDirs, writeDriverPackage } from './fixtures/sites.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const THIRD_PARTY_SITE = `gateways:
  - { id: 1, type: virtual, config: {} }
  - { id: 2, type: acme, config: { host: plc.local } }
addresses:
  - { key: r1, gateway: 2, point: { register: 40001 } }
`;

describe('defaultDriverCatalog', () => {
  it('finds the bundled virtual driver, its schemas and its bin', () => {
    const catalog = defaultDriverCatalog();
    const virtual = catalog.get('virtual');
    expect(virtual?.bin).toMatch(/drivers\/virtual\/dist\/bin\.cjs$/);
    expect(virtual?.configSchema.safeParse({}).success).toBe(true);
    expect(virtual?.pointSchema.safeParse({ type: 'string' }).success).toBe(true);
    expect(catalog.types()).toContain('virtual');
  });

  it('finds the bundled knx driver; site.yaml is checked with its schemas (key as group address, ETS dpt names)', async () => {
    const knx = defaultDriverCatalog().get('knx');
    expect(knx?.bin).toMatch(/drivers\/knx\/dist\/bin\.cjs$/);
    const yaml = `gateways:
  - { id: house, type: knx, config: { host: 192.168.1.20 } }
  - { id: bad, type: knx, config: { transport: tunnel-udp, rateLimit: 0 } }
addresses:
  - { key: "4/7/25", gateway: house, point: { dpt: DPST-1-1 } }
  - { key: t, gateway: house, point: { ga: "32/0/0", dpt: "99.001" } }
`;
    const dir = await dirs.make({ 'site.yaml': yaml });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      'gateways[1].config.rateLimit: expected number to be >0',
      expect.stringMatching(/^gateways\[1\]\.config\.host: required for tunnel-udp/),
      expect.stringMatching(/^addresses\[1\]\.point\.ga: expected a group address/),
      expect.stringMatching(/^addresses\[1\]\.point\.dpt: datapoint type "99\.001" is not supported/),
    ]);
    const ok = await loadSiteConfig(
      join(
        await dirs.make({
          'site.yaml': yaml
            .split('\n')
            .filter((line) => !/bad|"t"|key: t,/.test(line))
            .join('\n'),
        }),
        'site.yaml',
      ),
    );
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    expect(ok.config.addresses[0]?.point).toEqual({ dpt: '1.001', writable: true });
  });

  it('does not take @weble/driver-kit for a driver, and knows no made-up type', () => {
    const catalog = defaultDriverCatalog();
    expect(catalog.get('kit')).toBeUndefined();
    expect(catalog.types()).not.toContain('kit');
    expect(catalog.get('no-such-driver')).toBeUndefined();
  });

  it('finds a third-party driver installed next to site.yaml, and validates with its schemas', async () => {
    const dir = await dirs.make({ 'site.yaml': THIRD_PARTY_SITE });
    const pkg = await writeDriverPackage(dir, 'acme');
    const catalog = defaultDriverCatalog(dir);
    expect(catalog.types()).toEqual(expect.arrayContaining(['acme', 'virtual']));
    expect(catalog.get('acme')?.bin).toBe(join(pkg, 'bin/driver.cjs'));

    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.gateways[1]?.config).toEqual({ host: 'plc.local', port: 502 });
    expect(Object.keys(result.config.drivers).sort()).toEqual(['acme', 'virtual']);
  });

  it('reports the third-party schemas problems with their paths', async () => {
    const yaml = THIRD_PARTY_SITE.replace('host: plc.local', 'host: 7').replace(
      'register: 40001',
      'register: -1, bit: 3',
    );
    const dir = await dirs.make({ 'site.yaml': yaml });
    await writeDriverPackage(dir, 'acme');
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      'gateways[1].config.host: expected string, received number',
      'addresses[0].point.register: expected number to be >=0',
      'addresses[0].point.bit: unknown key (expected one of: register)',
    ]);
  });

  it('names the known types when a type is unknown, including third-party ones', async () => {
    const dir = await dirs.make({ 'site.yaml': 'gateways: [{ id: 1, type: lonworks, config: {} }]\n' });
    await writeDriverPackage(dir, 'acme');
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^gateways\\[0\\]\\.type: unknown driver type "lonworks": no driver package found; ` +
            `tried @weble/driver-lonworks, weble-driver-lonworks from ${dir} \\(the site directory\\); ` +
            `then @weble/driver-lonworks, weble-driver-lonworks from /.*/supervisor/src/config \\(the supervisor\\) \\(known types: .*acme.*knx.*virtual.*\\)$`,
        ),
      ),
    ]);
  });

  it('prefers a driver installed next to site.yaml over the one the supervisor resolves', async () => {
    const dir = await dirs.make({ 'site.yaml': 'gateways: [{ id: 1, type: virtual, config: { host: h } }]\n' });
    const pkg = await writeDriverPackage(dir, 'virtual');
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.drivers.virtual?.bin).toBe(join(pkg, 'bin/driver.cjs'));
    expect(result.config.gateways[0]?.config).toEqual({ host: 'h', port: 502 });
  });

  it('finds weble-driver-<type> (no scope) and a `package:` of any scope; validates with their ./schema only', async () => {
    const yaml = `gateways:
  - { id: 1, type: loop, config: { host: a } }
  - { id: 2, type: plc, package: "@acme/weble-driver-plc", config: { host: b } }
addresses:
  - { key: r1, gateway: 2, point: { register: 7 } }
`;
    const dir = await dirs.make({ 'site.yaml': yaml });
    const loop = await writeDriverPackage(dir, 'loop', { name: 'weble-driver-loop' });
    const plc = await writeDriverPackage(dir, 'plc', { name: '@acme/weble-driver-plc' });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.drivers.loop).toMatchObject({
      package: 'weble-driver-loop',
      bin: join(loop, 'bin/driver.cjs'),
    });
    expect(result.config.drivers.plc).toMatchObject({
      package: '@acme/weble-driver-plc',
      bin: join(plc, 'bin/driver.cjs'),
    });
    expect(result.config.gateways[1]).toMatchObject({
      package: '@acme/weble-driver-plc',
      config: { host: 'b', port: 502 },
    });
    expect(defaultDriverCatalog(dir).types()).toEqual(expect.arrayContaining(['loop', 'virtual']));
  });

  it('lists every place tried for a `package:` that is not installed, at gateways[i].package', async () => {
    const dir = await dirs.make({
      'site.yaml': 'gateways: [{ id: 1, type: plc, package: "@acme/weble-driver-plc", config: {} }]\n',
    });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^gateways\\[0\\]\\.package: unknown driver type "plc": no driver package found; ` +
            `tried @acme/weble-driver-plc from ${dir} \\(the site directory\\); ` +
            `then @acme/weble-driver-plc from .* \\(the supervisor\\)`,
        ),
      ),
    ]);
    expect(() => requireDriver(defaultDriverCatalog(dir), 'plc', '@acme/weble-driver-plc')).toThrow(
      expect.objectContaining({ code: ConfigCode.DRIVER_NOT_FOUND }),
    );
  });

  it('refuses a `package:` that is a path (it would load any file) before resolving anything', async () => {
    const dir = await dirs.make({
      'site.yaml':
        'gateways: [{ id: 1, type: plc, package: "../evil", config: {} }, { id: 2, type: plc, package: "/tmp/evil", config: {} }]\n',
      'evil/schema.js': 'throw new Error("loaded")',
    });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^gateways\[0\]\.package: expected an npm package name/),
      expect.stringMatching(/^gateways\[1\]\.package: expected an npm package name/),
    ]);
    expect(defaultDriverCatalog(dir).get('plc', '../evil')).toBeUndefined();
  });

  it('refuses a driver package without a ./schema export (the supervisor never loads its main)', async () => {
    const dir = await dirs.make({ 'site.yaml': 'gateways: [{ id: 1, type: acme, config: { host: h } }]\n' });
    await writeDriverPackage(dir, 'acme', { noSchema: true });
    expect(() => defaultDriverCatalog(dir).get('acme')).toThrow(
      expect.objectContaining({
        code: ConfigCode.DRIVER_INVALID,
        message: expect.stringContaining('has no "./schema" export'),
      }),
    );
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(
        /^gateways\[0\]\.type: driver type "acme" cannot be used: @weble\/driver-acme .* has no "\.\/schema" export/,
      ),
    ]);
  });

  it('loads the ES module build of ./schema when the package has one (sharing the supervisor zod), else its require build', async () => {
    const dir = await dirs.make({});
    await writeDriverPackage(dir, 'dual', { esm: 'plain' });
    await writeDriverPackage(dir, 'awaits', { esm: 'top-level-await' });
    await writeDriverPackage(dir, 'plain');
    const catalog = defaultDriverCatalog(dir);
    expect(catalog.get('dual')?.describe?.({})).toEqual({ build: 'esm' });
    expect(catalog.get('dual')?.configSchema.parse({ host: 'h' })).toEqual({ host: 'h', port: 502 });
    // require(esm) cannot run a module with top-level await: the require build is loaded instead.
    expect(catalog.get('awaits')?.describe).toBeUndefined();
    expect(catalog.get('awaits')?.configSchema.parse({ host: 'h' })).toEqual({ host: 'h', port: 502 });
    expect(catalog.get('plain')?.describe).toBeUndefined();
  });

  it('finds the import target of ./schema whatever the shape of its exports entry', () => {
    expect(importTarget('./schema.js')).toBe('./schema.js');
    expect(importTarget({ import: { types: './s.d.ts', default: './s.js' }, require: './s.cjs' })).toBe('./s.js');
    expect(importTarget({ require: './s.cjs', node: { import: './n.mjs' }, default: './d.js' })).toBe('./n.mjs');
    expect(importTarget([{ browser: './b.js' }, './s.js'])).toBe('./s.js');
    expect(importTarget({ require: './s.cjs' })).toBeUndefined();
    expect(importTarget(null)).toBeUndefined();
  });

  it('refuses two packages for one type in a site', async () => {
    const dir = await dirs.make({
      'site.yaml':
        'gateways: [{ id: 1, type: plc, config: { host: a } }, { id: 2, type: plc, package: "@acme/weble-driver-plc", config: { host: b } }]\n',
    });
    await writeDriverPackage(dir, 'plc');
    await writeDriverPackage(dir, 'plc', { name: '@acme/weble-driver-plc' });
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    expect(result.ok ? [] : result.problems).toEqual([
      'gateways[1].package: type "plc" is already run by @weble/driver-plc in this site: one package per type',
    ]);
  });

  it('turns a driver package that throws when loaded into a problem and a coded error', async () => {
    const dir = await dirs.make({
      'site.yaml': 'gateways: [{ id: 1, type: broken, config: {} }, { id: 2, type: broken, config: {} }]\n',
    });
    await writeDriverPackage(dir, 'broken', { broken: true });
    expect(() => defaultDriverCatalog(dir).get('broken')).toThrow(
      expect.objectContaining({ code: ConfigCode.DRIVER_LOAD_FAILED }),
    );
    const result = await loadSiteConfig(join(dir, 'site.yaml'));
    const problem =
      'type: driver type "broken" cannot be used: @weble/driver-broken failed to load: cannot find the field bus';
    expect(result.ok ? [] : result.problems).toEqual([`gateways[0].${problem}`, `gateways[1].${problem}`]);
  });
});

describe('validateSite with a static catalog', () => {
  const fake: DriverInfo = {
    type: 'fake',
    configSchema: z.strictObject({ url: z.url() }),
    pointSchema: z.strictObject({ path: z.string() }),
    bin: '/opt/fake/bin.js',
  };
  const catalog = staticDriverCatalog([fake]);

  it('validates a document without any file, paths against baseDir', () => {
    const document = {
      hub: { socket: 'hub.sock' },
      gateways: [{ id: 'f', type: 'fake', config: { url: 'http://x.example' } }],
      addresses: [{ key: 'k', gateway: 'f', point: { path: '/a' } }],
    };
    const result = validateSite(document, { baseDir: '/srv/site', catalog });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.hub.socket).toBe('/srv/site/hub.sock');
    expect(result.config.drivers).toEqual({ fake });
  });

  it('accepts its own output again (a changed config can be re-validated)', () => {
    const document = {
      gateways: [{ id: 1, type: 'fake', config: { url: 'http://x.example' } }],
      logics: [{ name: 'l', file: 'l.ts' }],
    };
    const first = validateSite(document, { baseDir: '/srv/site', catalog });
    if (!first.ok) throw new Error(first.problems.join('\n'));
    const { drivers: _drivers, ...again } = first.config;
    const second = validateSite(again, { baseDir: '/elsewhere', catalog });
    expect(second.ok && second.config.logics[0]?.file).toBe('/srv/site/l.ts');
  });
});

describe('error codes', () => {
  it('every ConfigCode is documented in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(Object.values(ConfigCode).filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });
});
