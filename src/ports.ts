/**
 * The small interfaces the domain needs from the outside world. Each is implemented once per outside system under
 * src/adapters/ and built in one composition root (src/main.ts).
 */

/** The project's files as they were at the pull request's base (env/version-not-bumped). */
export interface BaseRef {
  /** The ref as the user gave it, for messages. */
  readonly name: string;
  /** A project-relative file's text at the base, or undefined when it did not exist there. */
  readFile(projectRelPath: string): string | undefined;
  /** Whether anything under a project-relative file or folder differs between the base and the working tree. */
  changedSince(projectRelPath: string): boolean;
}

/** Where progress and diagnostics go (stderr for the CLI, the job log for the action). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** A line that replaces itself on a terminal (progress of long work); a plain line elsewhere. */
  progress(message: string): void;
}

export interface Clock {
  now(): number;
}
