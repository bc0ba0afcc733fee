/**
 * The systemd unit shipped in @weble/supervisor (systemd/weble.service) and the one
 * `weble-supervisor install-service` writes: both pass `systemd-analyze verify`, rate 3.0 or better
 * ("OK") in `systemd-analyze security --offline=true` (PID 1 here is not systemd), keep Node's
 * writable executable memory allowed, and run the node binary and the bin by absolute paths.
 * Bad input (a path the hardened service cannot see, a bad user name) is refused with its code.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from './fixtures/sites.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const SHIPPED = join(PACKAGE, 'systemd', 'weble.service');
const CLI = join(PACKAGE, 'dist', 'cli.js');
const BIN = realpathSync(join(PACKAGE, 'bin', 'weble-supervisor.mjs'));
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

function run(command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `systemd-analyze security --offline=true`: the overall exposure and the table. */
function security(unitFile: string): { exposure: number; table: string } {
  const { code, stdout, stderr } = run('systemd-analyze', ['security', '--offline=true', '--no-pager', unitFile]);
  const match = /Overall exposure level for \S+: (\d+\.\d+) (\S+)/.exec(stdout);
  if (!match) throw new Error(`no exposure level (exit ${code}): ${stdout}\n${stderr}`);
  return { exposure: Number(match[1]), table: stdout };
}

function installService(args: string[]): { code: number | null; stdout: string; stderr: string } {
  return run(process.execPath, [CLI, 'install-service', ...args]);
}

describe('the shipped unit', () => {
  it('passes systemd-analyze verify', () => {
    const result = run('systemd-analyze', ['verify', SHIPPED]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('rates 3.0 or better in systemd-analyze security, with W^X left off for Node', () => {
    const { exposure, table } = security(SHIPPED);
    expect(exposure).toBeLessThanOrEqual(3.0);
    expect(table).toMatch(/✗ MemoryDenyWriteExecute=/);
    expect(table).toMatch(/✓ NoNewPrivileges=/);
    expect(table).toMatch(/✓ CapabilityBoundingSet=~CAP_SYS_ADMIN/);
  });

  it('is notify-type with a watchdog, its own user in dialout, and systemd-made directories', () => {
    const unit = readFileSync(SHIPPED, 'utf8');
    for (const line of [
      'Type=notify',
      'User=weble',
      'SupplementaryGroups=dialout',
      'RuntimeDirectory=weble',
      'StateDirectory=weble',
      'LogsDirectory=weble',
      'KillMode=mixed',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).toMatch(/^WatchdogSec=\d+/m);
    expect(unit).not.toContain('/usr/bin/env');
  });
});

describe('weble-supervisor install-service', () => {
  it('--print: the unit for this install, by absolute paths, verified and rated like the shipped one', async () => {
    const { code, stdout, stderr } = installService(['--print']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const node = realpathSync(process.execPath);
    expect(stdout).toContain(`\nExecStart=${node} ${BIN} start --config /var/lib/weble/site.yaml\n`);
    expect(stdout).toContain(`\nExecStartPre=${node} ${BIN} validate --config /var/lib/weble/site.yaml\n`);
    expect(stdout).not.toContain('/usr/bin/env');
    expect(stdout).not.toContain('ReadWritePaths=');
    const dir = await dirs.make();
    const file = join(dir, 'weble.service');
    writeFileSync(file, stdout);
    expect(run('systemd-analyze', ['verify', file])).toMatchObject({ code: 0, stderr: '' });
    expect(security(file).exposure).toBeLessThanOrEqual(3.0);
  });

  it('a site outside the state directory is made writable for the service; paths with spaces are quoted', () => {
    const { code, stdout } = installService(['--print', '--config', '/srv/boiler room/site.yaml', '--user', 'gateway']);
    expect(code).toBe(0);
    expect(stdout).toContain('\nReadWritePaths="/srv/boiler room"\n');
    expect(stdout).toContain('\nWorkingDirectory=/srv/boiler room\n');
    expect(stdout).toContain(' start --config "/srv/boiler room/site.yaml"\n');
    expect(stdout).toContain('\nUser=gateway\nGroup=gateway\n');
  });

  it('writes the unit file and says what comes next (an existing user is kept)', async () => {
    const dir = await dirs.make();
    const file = join(dir, 'weble.service');
    const { code, stdout, stderr } = installService(['--unit-file', file, '--user', 'nobody']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${file}`);
    expect(stdout).toContain('the user nobody exists');
    expect(stdout).toContain('systemctl daemon-reload && systemctl enable --now weble');
    const unit = readFileSync(file, 'utf8');
    expect(unit).toContain('\nUser=nobody\n');
    expect(unit).toContain(`${BIN} start`);
  });

  it.each([
    [
      ['--print', '--config', '/tmp/site/site.yaml'],
      1,
      /SERVICE_PATH_HIDDEN: the site\.yaml \/tmp\/site\/site\.yaml is under \/tmp/,
    ],
    [
      ['--print', '--config', '/home/ann/site.yaml'],
      1,
      /SERVICE_PATH_HIDDEN: the site\.yaml \/home\/ann\/site\.yaml is under \/home/,
    ],
    [['--print', '--user', 'Root Admin'], 64, /--user "Root Admin": expected a system user name/],
  ])('refuses %j with a coded error', (args, exit, message) => {
    const { code, stdout, stderr } = installService(args);
    expect(code).toBe(exit);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});
