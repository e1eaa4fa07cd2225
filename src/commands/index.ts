/**
 * The verbs. Each is loaded only when it runs (a dynamic import becomes its own chunk in dist/), so validate's
 * start-up never pays for what train or the Azure adapter load.
 */
import type { Inputs, Output } from '../core/io.js';

export interface Command {
  summary: string;
  /** Inputs it reads, by action.yml / flag name; booleans are flags without a value on the CLI. */
  inputs: readonly string[];
  booleans: readonly string[];
  outputs: readonly string[];
  /** The workflow events it makes sense on, as an action; undefined: any event. */
  events?: readonly string[];
  run(inputs: Inputs, out: Output): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check environments, data, the hub model pin, compute, stages and owners',
    inputs: ['config', 'format', 'base', 'update-lock', 'auth'],
    booleans: ['update-lock'],
    outputs: ['errors', 'warnings', 'report-json'],
    run: async (i, o) => (await import('./validate.js')).validate(i, o),
  },
  lock: {
    summary: 'write tfaml.lock: the content hash of every environment, data asset and hub model',
    inputs: ['config', 'format', 'force'],
    booleans: ['force'],
    outputs: ['lockfile', 'changed'],
    run: async (i, o) => (await import('./lock.js')).lock(i, o),
  },
  train: {
    summary: 'train the pinned hub model on the locked data (frozen or top-N), write metrics and lineage, register it',
    inputs: [
      'config',
      'format',
      'out',
      'resume',
      'backend',
      'hub-url',
      'auth',
      'cancel',
      'target',
      'data-version',
      'reason',
    ],
    booleans: ['resume', 'cancel'],
    outputs: ['model-version', 'metrics-json'],
    events: ['pull_request', 'push', 'workflow_dispatch', 'schedule', 'repository_dispatch'],
    run: async (i, o) => (await import('./train.js')).train(i, o),
  },
  models: {
    summary: 'list the versions in the experiment (or production) registry with their metrics and lineage',
    inputs: ['config', 'format', 'registry', 'model'],
    booleans: [],
    outputs: ['models-json'],
    run: async (i, o) => (await import('./models.js')).models(i, o),
  },
  promote: {
    summary:
      'gate the candidate against tfaml.yml and the production champion; publish it to production on the promote branch',
    inputs: ['config', 'format', 'candidate', 'rollback', 'reason'],
    booleans: [],
    outputs: ['decision', 'production-version', 'report-json'],
    events: ['push', 'workflow_dispatch'],
    run: async (i, o) => (await import('./promote.js')).promote(i, o),
  },
  cost: {
    summary:
      'estimate what a training run and the always-on endpoints cost, diff against the base, gate on the budget, comment on the PR',
    inputs: [
      'config',
      'format',
      'base',
      'prices',
      'github-token',
      'pr-number',
      'post-comment',
      'actual-duration-s',
      'actual-from-registry',
    ],
    booleans: ['post-comment', 'actual-from-registry'],
    outputs: ['run-usd', 'month-usd', 'change-usd', 'budget', 'comment-url', 'cost-json'],
    events: ['pull_request', 'push', 'workflow_dispatch'],
    run: async (i, o) => (await import('./cost.js')).cost(i, o),
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS);
