/**
 * `weble-supervisor import-knx`: the BUILT dist/cli.js (build first) adds the group addresses of
 * an ETS export to site.yaml, keeping its comments, validating before it writes, keeping the old
 * file beside it; a gateway that is not knx, a broken export or a result that would be invalid
 * change nothing.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDirs } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const SITE = `# the house
gateways:
  - { id: 1, type: knx, config: { host: 192.168.1.20 } }   # the IP interface
  - { id: 2, type: virtual, config: {} }
addresses:
  - { key: "4/7/25", gateway: 1, name: old switch, point: { dpt: "1.001" } }
`;

// As ETS 6 writes it: "1/1" layout, semicolons, quotes, Latin-1 (ü as one byte).
const EXPORT = Buffer.from(
  '"Group name";"Address";"Central";"Unfiltered";"Description";"DatapointType";"Security"\r\n' +
    '"Kitchen switch";"4/7/25";"";"";"";"DPST-1-1";"Auto"\r\n"K\xfcche temperature";"4/7/26";"";"";"";"DPST-9-1";"Auto"\r\n' +
    '"Valve";"4/7/27";"";"";"";"";"Auto"\r\n',
  'latin1',
);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('weble-supervisor import-knx', () => {
  it("adds the export's addresses, keeps existing keys and comments, keeps the old file", async () => {
    const dir = await dirs.make({ 'site.yaml': SITE });
    await writeFile(join(dir, 'house.csv'), EXPORT);
    const run = await cli(['import-knx', join(dir, 'house.csv'), '--config', join(dir, 'site.yaml'), '--gateway', '1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /house\.csv \(ETS CSV\): 1 address\(es\) added, 0 replaced, 1 kept as they were, 1 skipped/,
    );
    expect(run.stdout).toMatch(/skipped 4\/7\/27 "Valve" \(line 4\): no datapoint type/);
    const text = await readFile(join(dir, 'site.yaml'), 'utf8');
    expect(text).toContain('# the house');
    expect(text).toContain('# the IP interface');
    expect(parse(text).addresses).toEqual([
      { key: '4/7/25', gateway: 1, name: 'old switch', point: { dpt: '1.001' } },
      { key: '4/7/26', gateway: 1, name: 'Küche temperature', unit: '°C', point: { dpt: '9.001' } },
    ]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.bak'))).toHaveLength(1);

    const again = await cli([
      'import-knx',
      join(dir, 'house.csv'),
      '-c',
      join(dir, 'site.yaml'),
      '-g',
      '1',
      '--replace',
    ]);
    expect(again.code).toBe(0);
    expect(parse(await readFile(join(dir, 'site.yaml'), 'utf8')).addresses[0]).toEqual({
      key: '4/7/25',
      gateway: 1,
      name: 'Kitchen switch',
      point: { dpt: '1.001' },
    });
  });

  it('--dry-run writes nothing', async () => {
    const dir = await dirs.make({ 'site.yaml': SITE });
    await writeFile(join(dir, 'house.csv'), EXPORT);
    const run = await cli(['import-knx', join(dir, 'house.csv'), '-c', join(dir, 'site.yaml'), '-g', '1', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dry run: nothing written/);
    expect(await readFile(join(dir, 'site.yaml'), 'utf8')).toBe(SITE);
  });

  it('refuses a gateway that is not knx, a broken export, and a result that would be invalid, writing nothing', async () => {
    const dir = await dirs.make({ 'site.yaml': SITE, 'broken.csv': '"Name";"Other"\n"x";"y"\n' });
    await writeFile(join(dir, 'house.csv'), EXPORT);
    const notKnx = await cli(['import-knx', join(dir, 'house.csv'), '-c', join(dir, 'site.yaml'), '-g', '2']);
    expect(notKnx).toMatchObject({ code: 1, stderr: expect.stringMatching(/gateway 2 is of type "virtual", not knx/) });
    const broken = await cli(['import-knx', join(dir, 'broken.csv'), '-c', join(dir, 'site.yaml'), '-g', '1']);
    expect(broken).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/broken\.csv: ETS CSV line 1: no "Address" column .*\(KNX_BAD_ETS_EXPORT\)/),
    });
    // A name that another address already uses: the cross checks refuse it.
    await writeFile(join(dir, 'site.yaml'), SITE.replace('name: old switch', 'name: Küche temperature, alias: x'));
    const clash = await cli(['import-knx', join(dir, 'house.csv'), '-c', join(dir, 'site.yaml'), '-g', '1']);
    expect(clash).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /site\.yaml would be invalid, nothing written \(1 problem\):\n {2}addresses\[1\]\.name: "Küche temperature" is already the name of addresses\[0\]/,
      ),
    });
    expect((await readdir(dir)).filter((f) => f.endsWith('.bak') || f.endsWith('.tmp'))).toEqual([]);
    const usage = await cli(['import-knx', '-c', join(dir, 'site.yaml'), '-g', '1']);
    expect(usage).toMatchObject({ code: 64, stderr: expect.stringMatching(/expected 1 argument\(s\), got 0/) });
  });
});
