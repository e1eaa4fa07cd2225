/**
 * What a command reads and writes, the same for the CLI and the action: named inputs in, a report, annotations,
 * a job summary and outputs out. The CLI and the action each implement these once (src/adapters/).
 */
import type { Finding } from './findings.js';
import { UsageError } from './errors.js';
import type { Log } from './ports.js';

/** Inputs by their action.yml name (the CLI flag of the same name). Empty strings count as absent. */
export interface Inputs {
  get(name: string): string | undefined;
}

export interface Output {
  /** `cli` prints the report on stdout; `action` also annotates, summarises and sets outputs. */
  readonly mode: 'cli' | 'action';
  /** Whether the report may use ANSI colours: on the CLI, writing to a terminal, without NO_COLOR. */
  readonly color?: boolean;
  /** The report itself (text or the JSON document) on stdout. */
  print(text: string): void;
  /** An annotation at a file and line (action); nothing on the CLI, whose report already lists it. */
  annotate(finding: Finding, fileFromWorkspace: string): void;
  /** Markdown for the job summary (action); nothing on the CLI. */
  summary(markdown: string): Promise<void>;
  setOutput(name: string, value: string): void;
  /** Hide a secret in the job log from now on (action); nothing on the CLI, which has no log to mask. */
  mask(secret: string): void;
  log: Log;
}

export function readBoolean(inputs: Inputs, name: string, fallback: boolean): boolean {
  const v = inputs.get(name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new UsageError(`input ${name} is ${JSON.stringify(v)}; it must be true or false`);
}

export function readChoice<T extends string>(inputs: Inputs, name: string, choices: readonly T[], fallback: T): T {
  const v = inputs.get(name);
  if (v === undefined) return fallback;
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`input ${name} is ${JSON.stringify(v)}; it must be one of ${choices.join(', ')}`);
}
