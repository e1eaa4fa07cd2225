/** Real files in temp folders: a copy of examples/ to break one rule at a time, and a capturing Output. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Inputs, Output } from '../../src/core/io.js';
import type { Finding } from '../../src/core/findings.js';

export const EXAMPLES = path.resolve(__dirname, '../../examples');

export function tempDir(prefix = 'tfaml-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh copy of examples/ (without its .tfaml cache). */
export function copyExample(): string {
  const dir = tempDir();
  cpSync(EXAMPLES, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.tfaml') });
  return dir;
}

/** Replace exactly one occurrence of `from` in a project file; fails loudly when the text is not there. */
export function patch(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(dir, file);
  const text = readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`patch: ${String(from)} not found in ${file}`);
  writeFileSync(p, next);
}

export function write(dir: string, file: string, text: string): void {
  writeFileSync(path.join(dir, file), text);
}

export function inputs(values: Record<string, string | undefined>): Inputs {
  return { get: (n) => (values[n] === '' ? undefined : values[n]) };
}

export interface Captured extends Output {
  stdout: string;
  logs: string[];
  annotations: { finding: Finding; file: string }[];
  summaries: string[];
  outputs: Record<string, string>;
  /** Every value the command asked to mask, in order. */
  masked: string[];
}

export function capture(mode: 'cli' | 'action' = 'cli'): Captured {
  const c: Captured = {
    mode,
    stdout: '',
    logs: [],
    annotations: [],
    summaries: [],
    outputs: {},
    masked: [],
    print: (t) => void (c.stdout += t),
    annotate: (finding, file) => void c.annotations.push({ finding, file }),
    summary: async (md) => void c.summaries.push(md),
    setOutput: (n, v) => void (c.outputs[n] = v),
    mask: (secret) => void c.masked.push(secret),
    log: {
      info: (m) => void c.logs.push(m),
      warning: (m) => void c.logs.push(`warning: ${m}`),
      progress: (m) => void c.logs.push(m),
    },
  };
  return c;
}
