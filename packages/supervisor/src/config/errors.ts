/**
 * Errors of site configuration handling, declared once. Invalid site.yaml content is never thrown:
 * `loadSiteConfig` returns every problem as text. These errors are for what cannot be reported
 * that way (a driver package that cannot be loaded) and for bad arguments to the password helpers.
 * Every code is documented in the package README (a test checks that).
 */
import { CodedError } from '@weble/peers-core';
export const ConfigCode = {
  /**
   * No package runs a gateway type: none of `@weble/driver-<type>`, `weble-driver-<type>` (or its
   * `package:`) resolves from the site directory nor from the supervisor.
   */
  DRIVER_NOT_FOUND: 'CONFIG_DRIVER_NOT_FOUND',
  /** A driver package was found but its `./schema` could not be loaded (it threw, or is ESM-only with top-level await). */
  DRIVER_LOAD_FAILED: 'CONFIG_DRIVER_LOAD_FAILED',
  /** A driver package does not follow the contract (no `./schema` export, no `schema` of that `type` with its schemas, no `bin`). */
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

/** Whether `error` is a {@link ConfigError} with `code`. */
export function isConfigError(error: unknown, code: ConfigErrorCode): error is ConfigError {
  return error instanceof ConfigError && error.code === code;
}
