/**
 * Errors of site configuration handling, declared once. Invalid site.yaml content is never thrown:
 * `loadSiteConfig` returns every problem as text. These errors are for what cannot be reported
 * that way (a driver package that cannot be loaded) and for bad arguments to the password helpers.
 * Every code is documented in the package README (a test checks that).
 */
import { CodedError } from '@weble/peers-core';
export const ConfigCode = {
  /** A driver package `@weble/driver-<type>` was found but could not be loaded (it threw, or is ESM-only with top-level await). */
  DRIVER_LOAD_FAILED: 'CONFIG_DRIVER_LOAD_FAILED',
  /** A driver package loaded but does not follow the contract (no `definition`, wrong `type`, no schemas, no `bin`). */
  DRIVER_INVALID: 'CONFIG_DRIVER_INVALID',
  /** `hashPassword` was given something other than the 32 hex digits of an MD5. */
  BAD_PASSWORD_INPUT: 'CONFIG_BAD_PASSWORD_INPUT',
} as const;

/** One of the {@link ConfigCode} values. */
export type ConfigErrorCode = (typeof ConfigCode)[keyof typeof ConfigCode];

/** The error class of site configuration handling; `code` is one of {@link ConfigCode}. */
export class ConfigError extends CodedError<ConfigErrorCode> {
  override name = 'ConfigError';
}
