/**
 * site.yaml `loggers:` and `history:` through loadSiteConfig (real files, the real virtual
 * driver): defaults, every problem with its path, patterns that match nothing; the pure parts of
 * recording (address patterns, deadbands, minimum interval); every LoggersCode in the README.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../src/config/index.js';
import { matchAddresses } from '../../src/loggers/address-match.js';
import { LoggersCode } from '../../src/loggers/errors.js';
import { recordDecision } from '../../src/loggers/record-policy.js';
import { tempDirs } from '../fixtures/sites.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const BASE = `gateways: [{ id: 1, type: virtual, config: {} }]
addresses:
  - { key: "1/0/1", gateway: 1, name: boiler/supply, point: { type: number } }
  - { key: "1/0/2", gateway: 1, alias: boiler.return, point: { type: number } }
`;

async function load(yaml: string) {
  const dir = await dirs.make({ 'site.yaml': BASE + yaml });
  return { dir, result: await loadSiteConfig(join(dir, 'site.yaml')) };
}

describe('site.yaml loggers', () => {
  it('fills in defaults and resolves the history directory', async () => {
    const { dir, result } = await load('loggers: [{ name: trend, addresses: ["boiler/*"] }]\n');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.loggers).toEqual([
      { name: 'trend', addresses: ['boiler/*'], onChange: {}, retention: { days: 365 }, enabled: true },
    ]);
    expect(result.config.history).toMatchObject({
      dir: join(dir, 'run', 'history'),
      flushMs: 250,
      maxBatch: 5000,
      retentionStepRows: 5000,
    });
  });

  it('reports every problem with its path', async () => {
    const { result } = await load(`loggers:
  - { name: a, addresses: ["nothing/*", "1/0/1"], retention: { days: -1 } }
  - { name: a, addresses: [boiler.return], onChange: false, colour: red }
  - { name: "bad name", addresses: [] }
history: { flushMs: 5000 }
`);
    if (result.ok) throw new Error('expected problems');
    const text = result.problems.join('\n');
    expect(text).toContain('loggers[0].addresses[0]: "nothing/*" matches no address key, name or alias');
    expect(text).toMatch(/loggers\[0\]\.retention\.days: must be positive/);
    expect(text).toMatch(/loggers\[1\]\.name: duplicate logger name "a" \(first at loggers\[0\]\)/);
    expect(text).toContain('loggers[1].colour: unknown key');
    expect(text).toContain('loggers[1].sampleMs: onChange is false and there is no sampleMs');
    expect(text).toMatch(/loggers\[2\]\.name: expected 1-64 letters/);
    expect(text).toMatch(/loggers\[2\]\.addresses: expected at least one address/);
    expect(text).toMatch(/history\.flushMs: /);
  });
});

describe('recording policy', () => {
  const addresses = [
    { key: '1/0/1', name: 'boiler/supply' },
    { key: '1/0/2', alias: 'boiler.return' },
    { key: '2/0/1' },
  ];

  it('matches keys, names, aliases and patterns, and names what matches nothing', () => {
    expect(matchAddresses(['boiler*'], addresses).keys).toEqual(['1/0/1', '1/0/2']);
    expect(matchAddresses(['?/0/1'], addresses).keys).toEqual(['1/0/1', '2/0/1']);
    expect(matchAddresses(['boiler.return', 'x/*'], addresses)).toEqual({ keys: ['1/0/2'], unmatched: ['x/*'] });
    expect(matchAddresses(['boiler.'], addresses).unmatched).toEqual(['boiler.']); // a dot is not a wildcard
  });

  it('applies absolute and percent deadbands and a minimum interval', () => {
    const last = { value: 100, t: 1000 };
    expect(recordDecision({}, undefined, 1, 0)).toEqual({ action: 'record' });
    expect(recordDecision({ deadband: 2 }, last, 101.5, 2000)).toEqual({ action: 'skip' });
    expect(recordDecision({ deadband: 2 }, last, 102, 2000)).toEqual({ action: 'record' });
    expect(recordDecision({ deadbandPercent: 5 }, last, 104, 2000)).toEqual({ action: 'skip' });
    expect(recordDecision({ deadbandPercent: 5 }, last, 94, 2000)).toEqual({ action: 'record' });
    expect(recordDecision({ minIntervalMs: 500 }, last, 200, 1200)).toEqual({ action: 'defer', at: 1500 });
    expect(recordDecision({ minIntervalMs: 500 }, last, 200, 1500)).toEqual({ action: 'record' });
    expect(recordDecision({ deadband: 5 }, { value: 'on', t: 0 }, 'off', 1)).toEqual({ action: 'record' });
    expect(recordDecision(false, last, 500, 5000)).toEqual({ action: 'skip' });
  });
});

describe('loggers errors', () => {
  it('every LoggersCode is documented in the package README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.values(LoggersCode)) expect(readme, code).toContain(`\`${code}\``);
  });
});
