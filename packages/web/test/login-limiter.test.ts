/** LoginLimiter and SessionStore with an injected clock: sliding window, caps, expiry. */
import { describe, expect, it } from 'vitest';
import { LoginLimiter, SessionStore } from '../src/index.js';
import { manualClock } from './helpers.js';

describe('LoginLimiter', () => {
  it('blocks a key after maxFailures inside the window until the oldest one slides out', () => {
    const clock = manualClock(0);
    const limiter = new LoginLimiter({ maxFailures: 3, windowMs: 1000, now: clock.now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('k')).toBe(0);
      limiter.fail('k');
      clock.advance(100);
    }
    expect(limiter.retryAfterMs('k')).toBe(700);
    expect(limiter.retryAfterMs('other')).toBe(0);
    clock.advance(700);
    expect(limiter.retryAfterMs('k')).toBe(0);
    limiter.fail('k');
    expect(limiter.retryAfterMs('k')).toBe(100);
    limiter.reset('k');
    expect(limiter.retryAfterMs('k')).toBe(0);
  });

  it('holds at most maxKeys keys and maxFailures times per key', () => {
    const clock = manualClock(0);
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 1000, maxKeys: 3, now: clock.now });
    for (let i = 0; i < 10; i++) limiter.fail(`k${i}`);
    expect(limiter.size).toBe(3);
    for (let i = 0; i < 100; i++) limiter.fail('k9');
    expect(limiter.retryAfterMs('k9')).toBe(1000);
    clock.advance(1000);
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});

describe('SessionStore', () => {
  it('creates random 32-byte ids bound to a peer name, expires them, caps and sweeps', () => {
    const clock = manualClock(0);
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 2, now: clock.now });
    const a = store.create('admin', 'web_admin_1');
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(store.get(a.id)).toEqual({ id: a.id, username: 'admin', peerName: 'web_admin_1', expiresAt: 1000 });
    expect(store.get('nope')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
    clock.advance(500);
    const b = store.create('admin', 'web_admin_2');
    const c = store.create('admin', 'web_admin_3'); // full: the oldest (a) goes
    expect(store.size).toBe(2);
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(b.id)?.peerName).toBe('web_admin_2');
    clock.advance(1000);
    expect(store.get(c.id)).toBeUndefined();
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(0);
  });
});
