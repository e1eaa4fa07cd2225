import {
  BASE_DEFAULT,
  BASE_ROOT,
  CONFIG,
  GITHUB_TOKEN_ROOT,
  MONTH_USD_ROOT,
  PRICES_ROOT,
  format,
  type VerbSpec,
} from './spec.js';

export const COST: VerbSpec = {
  name: 'cost',
  summary:
    'estimate what a training run and the always-on endpoints cost, diff against the base, gate on the budget, comment on the PR',
  inputs: {
    config: CONFIG,
    format: format('text (the markdown report) or json.'),
    base: {
      type: 'string',
      actionDefault: BASE_DEFAULT,
      description:
        "The git ref to diff against; its tfaml.yml's budget, max-increase and override label apply, not the pull request's. Defaults to the pull request's base SHA (check out with fetch-depth 0).",
      root: BASE_ROOT,
    },
    prices: {
      type: 'choice',
      choices: ['auto', 'api', 'snapshot'],
      default: 'auto',
      description:
        "auto (the Azure Retail Prices API, the bundled snapshot when it cannot be reached), api (never the snapshot) or snapshot (never the API). TFAML_PRICES_URL overrides the API's address.",
      root: PRICES_ROOT,
    },
    'github-token': {
      type: 'string',
      actionDefault: '${{ github.token }}',
      description:
        "Token that may comment on the pull request (needs pull-requests write; a fork's read-only token gets the job summary and a notice instead).",
      root: GITHUB_TOKEN_ROOT,
    },
    'pr-number': {
      type: 'string',
      description: 'The pull request to comment on. Defaults to the one in the event payload.',
      root: { description: 'cost — the pull request to comment on; defaults to the one in the event payload.' },
    },
    'post-comment': {
      type: 'boolean',
      // The CLI only prints; an action run keeps the PR's comment up to date (src/commands/cost.ts).
      default: false,
      actionDefault: 'true',
      description: "Create or update the pull request's one cost comment.",
    },
    'actual-duration-s': {
      type: 'string',
      description: 'After a training run, its real duration in seconds; the actual cost is added to the same comment.',
      root: {
        description:
          'cost — after a training run, its real duration in seconds, to add the actual cost to the comment.',
      },
    },
    'actual-from-registry': {
      type: 'boolean',
      default: false,
      description:
        'After a training run, take its real duration from the newest model version in the experiment registry.',
      root: {
        description: 'cost — after a training run, take its real duration from the newest experiment model version.',
      },
    },
    'report-url': {
      type: 'string',
      description:
        "The run report's artifact URL (the artifact-url output of actions/upload-artifact), linked from the comment. Only an Actions artifact URL on this run's GitHub host is linked; anything else is ignored with a warning.",
      root: {
        description: "cost — the run report's artifact URL (upload-artifact's artifact-url), linked from the comment.",
      },
    },
    history: {
      type: 'boolean',
      default: false,
      description:
        "List the last 10 runs' estimated and actual cost from the experiment registry's tags, with how far off each estimate was, instead of estimating.",
      root: {
        description:
          "cost — list the last runs' estimated and actual cost from the experiment registry instead of estimating.",
      },
    },
  },
  outputs: {
    'run-usd': { description: 'Expected cost of one training run.' },
    'month-usd': {
      description: 'Expected always-on cost per month (online deployments, clusters with min_instances).',
      root: MONTH_USD_ROOT,
    },
    'change-usd': {
      description: 'Change of the expected training-run cost against the base; empty without a base.',
      root: 'cost — change of the expected training-run cost against the base.',
    },
    budget: { description: 'within, over, overridden or no-budget.' },
    'comment-url': {
      description: 'The pull request comment created or updated; empty when none was posted.',
      root: 'cost — the pull request comment created or updated.',
    },
    'cost-json': { description: 'The estimate, diff, budget verdict and actual cost as JSON.' },
  },
  events: ['pull_request', 'push', 'workflow_dispatch'],
  action: {
    description:
      "Estimate what the pull request's training run and always-on endpoints cost, diff against the base branch, gate on the budget, and keep one PR comment up to date.",
  },
};
