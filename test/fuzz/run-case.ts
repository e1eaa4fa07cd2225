/**
 * One fuzz case through validate, in process, judged as the CLI would judge it (describeFailure in src/entries/main.ts).
 * Allowed: exit 0 or 1 with a JSON report, or exit 2 with a ConfigurationError whose every problem names a file and
 * a line. Anything else (exit 4, exit 2 without a place, a report that is not JSON) is a bug, returned as `problem`.
 * Shared by test/fuzz/specs.test.ts and bench/fuzz.mjs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { validate } from '../../src/commands/validate.js';
import { ConfigurationError } from '../../src/core/errors.js';
import type { Inputs, Output } from '../../src/core/io.js';
import { describeFailure } from '../../src/entries/main.js';
import { TARGETS, type FuzzCase } from './cases.js';

export interface Outcome {
  exitCode: number;
  ms: number;
  /** Set when the outcome is not an allowed one: what was wrong. */
  problem?: string;
}

/** A copy of the example project in `dir` (no cache), and the text of the files cases rewrite. */
export function prepareProject(examples: string, dir: string): Record<string, string> {
  cpSync(examples, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.tfaml') });
  return Object.fromEntries(TARGETS.map((t) => [t, readFileSync(path.join(dir, t), 'utf8')]));
}

const silent = (): Output & { stdout: string } => {
  const o = {
    mode: 'cli' as const,
    stdout: '',
    print: (t: string) => void (o.stdout += t),
    annotate: () => undefined,
    summary: async () => undefined,
    setOutput: () => undefined,
    mask: () => undefined,
    log: { info: () => undefined, warning: () => undefined, progress: () => undefined },
  };
  return o;
};

/** Write the case's files into the project, validate, and put the originals back. */
export async function runCase(dir: string, c: FuzzCase, originals: Readonly<Record<string, string>>): Promise<Outcome> {
  for (const [file, content] of Object.entries(c.files)) writeFileSync(path.join(dir, file), content);
  const out = silent();
  const inputs: Inputs = { get: (n) => ({ config: path.join(dir, 'tfaml.yml'), format: 'json' })[n] };
  const start = performance.now();
  let outcome: Outcome;
  try {
    const exitCode = await validate(inputs, out);
    const ms = performance.now() - start;
    let problem: string | undefined;
    try {
      JSON.parse(out.stdout);
    } catch {
      problem = `exit ${exitCode} without a JSON report`;
    }
    outcome = { exitCode, ms, problem };
  } catch (err) {
    const ms = performance.now() - start;
    const f = describeFailure(err);
    let problem: string | undefined;
    if (f.exitCode !== 2 || !(err instanceof ConfigurationError)) problem = f.message;
    else {
      const unplaced = [err, ...err.more].filter((e) => !e.location?.file || e.location.line === undefined);
      if (unplaced.length) problem = `exit 2 with a problem that names no file and line: ${unplaced[0]!.message}`;
    }
    outcome = { exitCode: f.exitCode, ms, problem };
  } finally {
    for (const file of Object.keys(c.files)) writeFileSync(path.join(dir, file), originals[file]!);
  }
  return outcome;
}
