import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART, RestartPolicy } from '../src/process/restart-policy.js';

const settings = {
  ...DEFAULT_RESTART,
  initialMs: 100,
  maxMs: 1000,
  stableMs: 10_000,
  maxRestarts: 3,
  withinMs: 5_000,
  failedRetryMs: 60_000,
};

describe('RestartPolicy', () => {
  it('backs off exponentially (jitter taken off at most 30%), up to the cap', () => {
    const policy = new RestartPolicy({ ...settings, maxRestarts: 100, withinMs: 1 }, () => 0);
    const delays = [0, 1, 2, 3, 4, 5].map((i) => policy.onExit(i * 10, undefined));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const jittered = new RestartPolicy(settings, () => 1).onExit(0, undefined);
    expect(jittered).toMatchObject({ action: 'restart', delayMs: 70 });
  });

  it('fails after maxRestarts within the window, and forgets restarts outside it', () => {
    const policy = new RestartPolicy(settings, () => 0);
    expect(policy.onExit(0, undefined).action).toBe('restart');
    expect(policy.onExit(1000, undefined).action).toBe('restart');
    expect(policy.onExit(2000, undefined).action).toBe('restart');
    expect(policy.onExit(3000, undefined)).toEqual({ action: 'fail', retryInMs: 60_000, restarts: 3 });
    // 5 s later the first restarts left the window
    expect(policy.onExit(8000, undefined).action).toBe('restart');
  });

  it('a stable run resets the backoff', () => {
    const policy = new RestartPolicy({ ...settings, maxRestarts: 100 }, () => 0);
    policy.onExit(0, undefined);
    policy.onExit(10, undefined);
    expect(policy.onExit(20, undefined)).toMatchObject({ delayMs: 400 });
    expect(policy.onExit(30_000, 15_000)).toMatchObject({ delayMs: 0 });
    expect(policy.onExit(30_010, 30_005)).toMatchObject({ delayMs: 100 });
  });

  it('restarts a child that had come up at once on its first exit, then backs off; one that never came up backs off from the start', () => {
    const policy = new RestartPolicy({ ...settings, maxRestarts: 100 }, () => 0);
    const upThenCrashing = [0, 1, 2, 3].map((i) => policy.onExit(1000 + i * 100, 1000 + i * 100 - 50));
    expect(upThenCrashing.map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([0, 100, 200, 400]);
    const neverUp = new RestartPolicy(settings, () => 0);
    expect(neverUp.onExit(0, undefined)).toMatchObject({ action: 'restart', delayMs: 100 });
  });

  it('reset() forgets everything (restart on request, retry after failed)', () => {
    const policy = new RestartPolicy(settings, () => 0);
    for (let i = 0; i < 3; i++) policy.onExit(i, undefined);
    expect(policy.onExit(4, undefined).action).toBe('fail');
    policy.reset();
    expect(policy.onExit(5, undefined)).toMatchObject({ action: 'restart', delayMs: 100 });
  });
});
