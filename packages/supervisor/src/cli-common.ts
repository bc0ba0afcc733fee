/** What the commands of `weble-supervisor` share: exit codes, the usage error, output, the command shape. */
import { CodedError } from '@weble/peers-core';

/** Exit codes of the CLI. */
export const Exit = { OK: 0, FAILURE: 1, INVALID_CONFIG: 2, USAGE: 64 } as const;

/** Bad command line: printed with the usage on stderr, exit 64. */
export class UsageError extends CodedError<'USAGE'> {
  override name = 'UsageError';
  constructor(message: string, options?: ErrorOptions) {
    super('USAGE', message, options);
  }
}

export type Values = Record<string, string | boolean | undefined>;
export interface Command {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** How many positional arguments the command takes: `[min, max]` (default none). */
  positionals?: readonly [number, number];
  run(values: Values, positionals: string[]): Promise<number>;
}

/**
 * A command whose code is loaded when it runs (or its help is asked for): the long-lived `start`
 * process does not carry the code of the one-shot commands (docs/memory.md).
 */
export type LoadCommand = () => Promise<Command>;

export const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const;

/** The `--config <site.yaml>` of a command that requires it. */
export function configArgument(values: Values): string {
  const config = values.config;
  if (typeof config !== 'string' || config === '') throw new UsageError('--config <site.yaml> is required');
  return config;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
