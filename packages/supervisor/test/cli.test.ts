/**
 * The `weble-supervisor` bin as users run it: the BUILT dist/cli.js as a child process (build
 * first: `pnpm --filter @weble/supervisor build`), site files in temp directories.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Hex, verifyPassword } from '@weble/web';
import { BROKEN_PROBLEMS, siteText, tempDirs, withoutPlacesTried } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dirs = tempDirs();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI in `cwd` with `input` on stdin; resolves when it exits. */
function cli(args: string[], options: { cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm --filter @weble/supervisor build" first`);
});
afterAll(() => dirs.cleanup());

describe('weble-supervisor validate', () => {
  it('accepts a valid site: exit 0, a summary with the resolved paths', async () => {
    const dir = await dirs.make({ 'site.yaml': await siteText('valid.yaml') });
    const run = await cli(['validate', '--config', 'site.yaml'], { cwd: dir });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('site.yaml is valid: 2 gateways, 3 addresses, 2 routes, 1 logic, 1 user');
    expect(run.stdout).toContain(`hub socket: ${join(dir, 'run/supervision.sock')}`);
    expect(run.stdout).toContain(`logic thermostat: ${join(dir, 'logics/thermostat.ts')}`);
    expect(run.stdout).toMatch(/driver virtual: \/.*drivers\/virtual\/dist\/bin\.cjs/);
  });

  it('prints the validated config as JSON with --json', async () => {
    const dir = await dirs.make({ 'conf/site.yaml': await siteText('valid.yaml') });
    const run = await cli(['validate', '-c', 'conf/site.yaml', '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    const { valid, config } = JSON.parse(run.stdout) as {
      valid: boolean;
      config: { hub: { socket: string }; drivers: Record<string, { bin: string }> };
    };
    expect(valid).toBe(true);
    expect(config.hub.socket).toBe(join(dir, 'conf/run/supervision.sock'));
    expect(config.drivers.virtual?.bin).toMatch(/bin\.cjs$/);
  });

  it('prints every problem of a broken site at once, each with its path and line, exit 2', async () => {
    const dir = await dirs.make({ 'site.yaml': await siteText('broken.yaml') });
    const run = await cli(['validate', '--config', 'site.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = withoutPlacesTried(run.stderr).trimEnd().split('\n');
    expect(lines[0]).toBe(`site.yaml is invalid: ${BROKEN_PROBLEMS.length} problems`);
    expect(lines.slice(1)).toEqual(BROKEN_PROBLEMS.map(([line, problem]) => `  site.yaml:${line}: ${problem}`));
  });

  it('prints the problems as JSON with --json, exit 2', async () => {
    const dir = await dirs.make({ 'site.yaml': await siteText('broken.yaml') });
    const run = await cli(['validate', '--config', 'site.yaml', '--json'], { cwd: dir });
    expect(run.code).toBe(2);
    const { valid, problems } = JSON.parse(run.stdout) as {
      valid: boolean;
      problems: Array<{ text: string; line: number }>;
    };
    expect(valid).toBe(false);
    expect(problems.map((p) => [p.line, withoutPlacesTried(p.text)])).toEqual(BROKEN_PROBLEMS);
  });

  it('prints a YAML syntax error as file:line:column, exit 2', async () => {
    const dir = await dirs.make({ 'site.yaml': await siteText('syntax-error.yaml') });
    const run = await cli(['validate', '--config', 'site.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ {2}site\.yaml:3:1: YAML syntax: Flow map in block collection/m);
  });

  it('reports a missing file as a configuration problem, exit 2', async () => {
    const run = await cli(['validate', '--config', 'nowhere.yaml'], { cwd: await dirs.make() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*nowhere\.yaml: no such file/);
  });
});

describe('weble-supervisor start', () => {
  it('starts nothing when the site is invalid: every problem, exit 2, no socket, no log dir', async () => {
    const dir = await dirs.make({ 'site.yaml': await siteText('broken.yaml') });
    const run = await cli(['start', '--config', 'site.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    for (const [, problem] of BROKEN_PROBLEMS) expect(withoutPlacesTried(run.stderr)).toContain(problem);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});

describe('weble-supervisor hash-password', () => {
  it('prints a hash of md5(password) read from stdin that verifies, salted differently each run', async () => {
    const first = await cli(['hash-password'], { input: 'correct horse\n' });
    const second = await cli(['hash-password'], { input: 'correct horse\n' });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const [a, b] = [first.stdout.trim(), second.stdout.trim()];
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(md5Hex('correct horse'), a)).toBe(true);
    expect(await verifyPassword(md5Hex('correct horse'), b)).toBe(true);
    expect(await verifyPassword(md5Hex('correct horse\n'), a)).toBe(false);
  });

  it('refuses an empty password and several lines, exit 1', async () => {
    expect(await cli(['hash-password'], { input: '' })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('empty password'),
    });
    expect(await cli(['hash-password'], { input: 'a\nb\n' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('one line'),
    });
  });
});

describe('weble-supervisor status', () => {
  it('fails with exit 1 when no supervisor listens on the socket', async () => {
    const dir = await dirs.make();
    const run = await cli(['status', '--socket', join(dir, 'none.sock')], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no status from ${join(dir, 'none.sock')}`);
  });

  it('takes the socket from --config, and refuses both --socket and --config', async () => {
    const dir = await dirs.make({ 'site.yaml': 'hub: { socket: ./hub.sock }\n' });
    const run = await cli(['status', '--config', 'site.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no status from ${join(dir, 'hub.sock')}`);
    expect((await cli(['status', '--socket', 'a.sock', '--config', 'site.yaml'], { cwd: dir })).code).toBe(64);
  });
});

describe('help and usage', () => {
  it('prints the overall help with the commands and exit codes, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: weble-supervisor <command> [options]');
      for (const command of ['start', 'validate', 'status', 'hash-password'])
        expect(run.stdout).toContain(`  ${command}`);
      expect(run.stdout).toMatch(
        /Exit codes:\n {2}0 {3}ok\n {2}1 {3}runtime failure.*\n {2}2 {3}invalid configuration.*\n {2}64 {2}usage error/,
      );
    }
  });

  it('prints each command help, exit 0', async () => {
    for (const command of ['start', 'validate', 'status', 'hash-password']) {
      for (const args of [
        [command, '--help'],
        ['help', command],
      ]) {
        const run = await cli(args);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`Usage: weble-supervisor ${command}`);
        expect(run.stdout).toContain('Exit codes:');
      }
    }
  });

  it('prints the version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it.each([
    [[], 'missing command', 'Usage: weble-supervisor <command>'],
    [['launch'], 'unknown command "launch"', 'Usage: weble-supervisor <command>'],
    [['validate'], 'validate: --config <site.yaml> is required', 'Usage: weble-supervisor validate'],
    [
      ['start', '--config', 'site.yaml', '--verbose'],
      "start: Unknown option '--verbose'",
      'Usage: weble-supervisor start',
    ],
    [
      ['validate', '--config'],
      "validate: Option '-c, --config <value>' argument missing",
      'Usage: weble-supervisor validate',
    ],
    [['validate', '--config', 'a.yaml', 'extra'], 'validate: Unexpected argument', 'Usage: weble-supervisor validate'],
    [
      ['start', '--config', 'site.yaml', '--log-level', 'loud'],
      'start: log level "loud"',
      'Usage: weble-supervisor start',
    ],
  ])('%j is a usage error: message and usage on stderr, exit 64', async (args, message, usage) => {
    const run = await cli(args);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`weble-supervisor: ${message}`);
    expect(run.stderr).toContain(usage);
  });
});
