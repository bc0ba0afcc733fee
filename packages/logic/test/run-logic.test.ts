import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLogicEnv } from '../src/run-logic.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('the logic environment', () => {
  it('names every missing or wrong variable', () => {
    expect(checkLogicEnv({})).toEqual({
      problems: [
        'env.WEBLE_HUB: required: the hub socket path (set by weble-supervisor)',
        'env.WEBLE_PEER_NAME: expected logic_<name> (letters, digits, _ - . : ~), got ""',
      ],
    });
    expect(checkLogicEnv({ WEBLE_HUB: '/run/s.sock', WEBLE_PEER_NAME: 'driver_x_1' })).toMatchObject({
      problems: [expect.stringContaining('got "driver_x_1"')],
    });
    expect(checkLogicEnv({ WEBLE_HUB: '/run/s.sock', WEBLE_PEER_NAME: 'logic_thermostat' })).toEqual({
      hub: '/run/s.sock',
      name: 'logic_thermostat',
    });
  });

  it('a logic started by hand without the supervisor exits 2 with the problems, without running main', () => {
    const script = `import { runLogic } from ${JSON.stringify(DIST)}; runLogic(() => console.log('main ran'));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('logic: cannot start, 2 problem(s):');
    expect(result.stderr).toContain('env.WEBLE_HUB: required');
    expect(result.stdout).not.toContain('main ran');
  });
});
