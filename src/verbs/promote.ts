import { CONFIG, DECISION_ROOT, REASON_ROOT, REPORT_JSON_ROOT, format, type VerbSpec } from './spec.js';

export const PROMOTE: VerbSpec = {
  name: 'promote',
  summary:
    'gate the candidate against tfaml.yml and the production champion; publish it to production on the promote branch',
  inputs: {
    config: CONFIG,
    format: format('text or json (the JSON document also goes to the report-json output).'),
    candidate: {
      type: 'string',
      description: 'The experiment version to promote (7 or <model>:7). Defaults to the latest version of model.name.',
    },
    rollback: {
      type: 'string',
      description: 'A production version to make the champion again instead of promoting (needs reason).',
    },
    reason: {
      type: 'string',
      description: 'Why, recorded in the production history with who did it (required with rollback).',
      root: REASON_ROOT,
    },
  },
  outputs: {
    decision: {
      description: 'promoted, unchanged, would-promote, rejected, lost, rolled-back or would-roll-back.',
      root: DECISION_ROOT,
    },
    'production-version': {
      description: 'The production version published, reused or rolled back to; empty when nothing was written.',
    },
    'report-json': {
      description:
        'The decision report as JSON (one row per gate threshold with candidate, champion, threshold, result and reason).',
      root: REPORT_JSON_ROOT,
    },
  },
  events: ['push', 'workflow_dispatch'],
  action: {
    description:
      'Gate the latest (or a given) experiment model on the value and change thresholds in tfaml.yml against the production champion; on the promote branch, publish it to the production registry as a new semver version with its evidence, or roll back to an earlier version.',
  },
};
