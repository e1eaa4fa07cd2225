/**
 * The verbs, as src/verbs declares them, each with the function that runs it. Each is loaded only when it runs (a
 * dynamic import becomes its own chunk in dist/), so validate's start-up never pays for what train or the Azure
 * adapter load.
 */
import { command, type Command, type CommandTable } from './command.js';
import { VERBS } from '../verbs/index.js';

export type { Command } from './command.js';

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

export const COMMANDS: CommandTable = Object.fromEntries(
  VERBS.map((v): [string, Command] => {
    const run = RUNS[v.name];
    if (!run) throw new Error(`src/verbs declares ${v.name} but src/commands/index.ts has no function to run it`);
    return [v.name, command(v, run)];
  }),
);

export const COMMAND_NAMES = Object.keys(COMMANDS);
