/**
 * Throttling of password guesses that never locks the rightful user out from elsewhere.
 *
 * - Per client address: `perAddress.maxFailures` (default 5) failures in `windowMs` (15 min) block
 *   that address for any username. One address guesses at most 20 times an hour.
 * - Per account, across addresses: `perAccount.maxFailures` (default 20) failures in 15 min hold
 *   the account for addresses it has not logged in from. A flood from one address is blocked at
 *   5, so it can never hold the account; spread over many addresses, an attacker gets at most 80
 *   guesses an hour at one account.
 * - An address that logged in to the account in the last `trustMs` (30 days) is not held by the
 *   account limit (only by its own address limit), so the user keeps their way in even then.
 */
import { LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';

/** Options of {@link LoginGuard}. */
export interface LoginGuardOptions {
  /** Failures per client address. Default 5 in 15 min. */
  perAddress?: Omit<LoginLimiterOptions, 'now'>;
  /** Failures per account from addresses it has not logged in from. Default 20 in 15 min. */
  perAccount?: Omit<LoginLimiterOptions, 'now'>;
  /** How long an address stays known for an account after a login there, ms. Default 30 days. */
  trustMs?: number;
  /** Most (account, address) pairs remembered; the oldest is forgotten first. Default 10 000. */
  maxTrusted?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Where a login attempt stands with the throttles. */
export class LoginGuard {
  private readonly addresses: LoginLimiter;
  private readonly accounts: LoginLimiter;
  /** `${username}\n${address}` -> last login, ms; Map order is oldest first. */
  private readonly trusted = new Map<string, number>();
  private readonly trustMs: number;
  private readonly maxTrusted: number;
  private readonly now: () => number;

  constructor(options: LoginGuardOptions = {}) {
    this.now = options.now ?? Date.now;
    this.addresses = new LoginLimiter({ maxFailures: 5, ...options.perAddress, now: this.now });
    this.accounts = new LoginLimiter({ maxFailures: 20, ...options.perAccount, now: this.now });
    this.trustMs = options.trustMs ?? 30 * 24 * 3600 * 1000;
    this.maxTrusted = options.maxTrusted ?? 10_000;
  }

  /** Ms until `address` may try again (checked before the body is read), 0 when it may. */
  addressWait(address: string): number {
    return this.addresses.retryAfterMs(address);
  }

  /** Ms until `address` may try `username` again, 0 when it may. */
  accountWait(username: string, address: string): number {
    return this.isTrusted(username, address) ? 0 : this.accounts.retryAfterMs(username);
  }

  /** A wrong password (or unknown user) from `address`. */
  failed(username: string, address: string): void {
    this.addresses.fail(address);
    this.accounts.fail(username);
  }

  /** A login to `username` from `address`: the address is known for the account from now on. */
  succeeded(username: string, address: string): void {
    const key = `${username}\n${address}`;
    this.trusted.delete(key);
    this.trusted.set(key, this.now());
    while (this.trusted.size > this.maxTrusted) {
      const oldest = this.trusted.keys().next().value;
      if (oldest === undefined) break;
      this.trusted.delete(oldest);
    }
  }

  /** Drop what has aged out. */
  sweep(): void {
    this.addresses.sweep();
    this.accounts.sweep();
    const since = this.now() - this.trustMs;
    for (const [key, at] of this.trusted) {
      if (at > since) break;
      this.trusted.delete(key);
    }
  }

  private isTrusted(username: string, address: string): boolean {
    const at = this.trusted.get(`${username}\n${address}`);
    return at !== undefined && at > this.now() - this.trustMs;
  }
}
