/**
 * The two kinds of failure (habit 4 in docs/architecture.md). A `ConfigurationError` is the user's to fix: it
 * names the file, the position and what to change, and ends the run with exit code 2 and no stack trace. Anything
 * else is a bug or an outage and is reported as such.
 */

import type { ChampionEvent } from './ports.js';

/** A place in a user's file; `line` and `column` are 1-based. */
export interface SourceLocation {
  /** Path relative to the project root (the folder of tfaml.yml), with forward slashes. */
  file: string;
  line?: number;
  column?: number;
  /** Absolute path, when known, so an action can annotate the file relative to the workspace. */
  abs?: string;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}

/** Input that cannot be used: bad config, bad flags, a missing file, an unreachable service. Exit code 2. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly exitCode = 2;
  /** Further problems found in the same pass, so a user fixes them all at once rather than one per run. */
  readonly more: ConfigurationError[];

  constructor(
    message: string,
    readonly location?: SourceLocation,
    more: ConfigurationError[] = [],
  ) {
    super(message);
    this.more = more;
  }

  /** One line per problem: `file:line:col: message`. */
  describe(): string {
    return [this, ...this.more]
      .map((e) => (e.location ? `${formatLocation(e.location)}: ${e.message}` : e.message))
      .join('\n');
  }

  /** Several problems as one error (the first carries the rest). */
  static all(errors: ConfigurationError[]): ConfigurationError {
    const [first, ...rest] = errors;
    if (!first) throw new Error('ConfigurationError.all needs at least one error');
    return new ConfigurationError(first.message, first.location, [...first.more, ...rest]);
  }
}

/**
 * A service (Azure, GitHub, the prices API, the hub) stayed unavailable after retries: throttling, 5xx, a network
 * that does not answer. Nothing is wrong with the input and re-running as is is safe. Exit code 3, no stack.
 */
export class ServiceUnavailableError extends Error {
  override readonly name: string = 'ServiceUnavailableError';
  readonly exitCode = 3;
  /** The HTTP status the service kept answering, when there was one. */
  statusCode?: number;
}

/** Bad command-line flags or action inputs. Exit code 2. */
export class UsageError extends ConfigurationError {}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why a file could not be read, in words that fit "the file X ___". */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? String(err)})`;
}

/** The version exists with other content. */
export class RegistryConflictError extends ConfigurationError {}

/** A cancelled run (SIGTERM): the caller writes a checkpoint and exits. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** The API could not answer (network, outage, too many 429s). The caller may fall back to the snapshot. */
export class PricesUnavailableError extends ServiceUnavailableError {
  override readonly name = 'PricesUnavailableError';
}

export class ReadOnlyTokenError extends Error {
  override readonly name = 'ReadOnlyTokenError';
}

/**
 * Another promotion changed the champion after this one read it (or holds the lock for too long). Nothing was
 * written; `winner` is the event that won, when known. promote reports it as the decision `lost` (exit 1).
 */
export class LostRaceError extends Error {
  override readonly name = 'LostRaceError';
  constructor(
    message: string,
    readonly winner?: ChampionEvent,
  ) {
    super(message);
  }
}
