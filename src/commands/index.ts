/**
 * The verbs, as src/verbs declares them, each with the function that runs it. Each is loaded only when it runs (a
 * dynamic import becomes its own chunk in dist/), so validate's start-up never pays for what train or the Azure
 * adapter load.
 */
import type { Inputs, Output } from '../core/io.js';
import { VERBS, commandInputs, type VerbSpec } from '../verbs/index.js';

export interface Command {
  summary: string;
  /** Inputs it reads, by action.yml / flag name; booleans are flags without a value on the CLI. */
  inputs: readonly string[];
  booleans: readonly string[];
  outputs: readonly string[];
  /** The workflow events it makes sense on, as an action; undefined: any event. */
  events?: readonly string[];
  /** The declaration it is built from (descriptions and defaults for --help). */
  spec: VerbSpec;
  run(inputs: Inputs, out: Output): Promise<number>;
}

type Run = Command['run'];

const RUNS: Record<string, Run> = {
  init: async (i, o) => (await import('./init.js')).init(i, o),
  doctor: async (i, o) => (await import('./doctor.js')).doctor(i, o),
  validate: async (i, o) => (await import('./validate.js')).validate(i, o),
  lock: async (i, o) => (await import('./lock.js')).lock(i, o),
  train: async (i, o) => (await import('./train.js')).train(i, o),
  models: async (i, o) => (await import('./models.js')).models(i, o),
  promote: async (i, o) => (await import('./promote.js')).promote(i, o),
  cost: async (i, o) => (await import('./cost.js')).cost(i, o),
  report: async (i, o) => (await import('./report.js')).report(i, o),
  audit: async (i, o) => (await import('./audit.js')).audit(i, o),
};

function command(spec: VerbSpec): Command {
  const run = RUNS[spec.name];
  if (!run) throw new Error(`src/verbs declares ${spec.name} but src/commands/index.ts has no function to run it`);
  const inputs = commandInputs(spec);
  return {
    summary: spec.summary,
    inputs,
    booleans: inputs.filter((n) => spec.inputs[n]!.type === 'boolean'),
    outputs: Object.keys(spec.outputs),
    ...(spec.events ? { events: spec.events } : {}),
    spec,
    run,
  };
}

export const COMMANDS: Record<string, Command> = Object.fromEntries(VERBS.map((v) => [v.name, command(v)]));

export const COMMAND_NAMES = Object.keys(COMMANDS);
