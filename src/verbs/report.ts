import { CONFIG, OUT_ROOT, format, type VerbSpec } from './spec.js';

export const REPORT: VerbSpec = {
  name: 'report',
  summary:
    'write report.html for a training run (and a promotion decision): learning curves, confusion matrix, gates, cost, lineage',
  inputs: {
    config: CONFIG,
    format: format('text, or json: the report’s data (the numbers the page draws) as one document.'),
    run: {
      type: 'string',
      description:
        'The run to report: its run id (the folder name under .tfaml/runs), or an experiment version (7 or <model>:7). Defaults to the candidate of decision, else the latest run.',
    },
    decision: {
      type: 'string',
      description:
        'Path of promote’s JSON report (tfaml promote --format json, or the report-json output saved to a file): adds the gates against the champion.',
    },
    cost: {
      type: 'string',
      description:
        'Path of cost’s JSON report (tfaml cost --format json, or the cost-json output saved to a file): adds the estimate against the actual cost.',
    },
    out: {
      type: 'string',
      description: 'Where to write the page; default .tfaml/reports/<run id>/report.html.',
      root: OUT_ROOT,
    },
  },
  outputs: {
    path: { description: 'The path of the report.html written.' },
    'run-id': { description: 'The run the report is about.' },
  },
};
