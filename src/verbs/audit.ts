import {
  AUTH_MODES,
  AUTH_ROOT,
  CONFIG,
  ERRORS_ROOT,
  GITHUB_TOKEN_ROOT,
  MONTH_USD_ROOT,
  PRICES_ROOT,
  WARNINGS_ROOT,
  format,
  type VerbSpec,
} from './spec.js';

export const AUDIT: VerbSpec = {
  name: 'audit',
  summary:
    'read what runs and bills in the live workspace (compute, endpoints, jobs, untracked assets) with its monthly cost, and keep one GitHub issue up to date',
  inputs: {
    config: CONFIG,
    format: format('text, or json: one document with the findings {rule, severity, resource, monthlyUsd, message}.'),
    prices: {
      type: 'choice',
      choices: ['auto', 'api', 'snapshot'],
      default: 'auto',
      description:
        "auto (the Azure Retail Prices API, the bundled snapshot when it cannot be reached), api (never the snapshot) or snapshot (never the API). TFAML_PRICES_URL overrides the API's address.",
      root: PRICES_ROOT,
    },
    auth: {
      type: 'choice',
      choices: AUTH_MODES,
      default: 'auto',
      description:
        'The Azure credential — auto (client secret, then OIDC, then an earlier azure/login), oidc, client-secret, managed-identity or azure-login. Reader on the workspace is enough: the audit only lists.',
      root: AUTH_ROOT,
    },
    'github-token': {
      type: 'string',
      actionDefault: '${{ github.token }}',
      description: 'Token that may open, update and close issues (the workflow needs permissions issues: write).',
      root: GITHUB_TOKEN_ROOT,
    },
    'post-issue': {
      type: 'boolean',
      // The CLI only prints; the scheduled action keeps the repository's one audit issue up to date.
      default: false,
      actionDefault: 'true',
      description:
        "Create or update the repository's one audit issue for this workspace (reopening it when findings come back), and close it when the audit is clean.",
    },
  },
  outputs: {
    errors: { description: 'Number of error findings.', root: ERRORS_ROOT },
    warnings: { description: 'Number of warning findings.', root: WARNINGS_ROOT },
    'month-usd': {
      description: 'What the flagged resources cost a month at current prices if they stay as they are.',
      root: MONTH_USD_ROOT,
    },
    'issue-url': {
      description: 'The audit issue created, updated, reopened or closed; empty when none was touched.',
    },
    'audit-json': { description: 'The findings and summary as JSON.' },
  },
  events: ['schedule', 'workflow_dispatch'],
  action: {
    description:
      'Audit what runs and bills in the live Azure ML workspace (compute instances, clusters, always-on endpoints, overlong jobs, untracked assets) with its monthly cost, and keep one issue up to date.',
  },
};
