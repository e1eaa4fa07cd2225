/** A verb as the entry points run it: its declaration (src/verbs) joined to the function that runs it. */
import type { Inputs, Output } from '../core/io.js';
import { commandInputs, type VerbSpec } from '../verbs/index.js';

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

/** The table an entry point dispatches on, by verb name. */
export type CommandTable = Readonly<Record<string, Command>>;

export function command(spec: VerbSpec, run: Command['run']): Command {
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
