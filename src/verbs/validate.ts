import {
  AUTH_MODES,
  AUTH_ROOT,
  BASE_DEFAULT,
  BASE_ROOT,
  ERRORS_ROOT,
  CONFIG,
  REPORT_JSON_ROOT,
  format,
  WARNINGS_ROOT,
  type VerbSpec,
} from './spec.js';

export const VALIDATE: VerbSpec = {
  name: 'validate',
  summary: 'check environments, data, the hub model pin, compute, stages and owners',
  inputs: {
    config: CONFIG,
    format: format('text or json.'),
    base: {
      type: 'string',
      actionDefault: BASE_DEFAULT,
      description:
        "The git ref to compare with for env/version-not-bumped, and whose tfaml.yml supplies policy.* and the suppressions already accepted (a PR's own are listed as new). Defaults to the pull request's base SHA (check out with fetch-depth 0).",
      root: BASE_ROOT,
    },
    'update-lock': {
      type: 'boolean',
      default: false,
      description: 'Also write tfaml.lock when no locked version changed content.',
    },
    auth: {
      type: 'choice',
      choices: AUTH_MODES,
      default: 'auto',
      description:
        'With a workspace in tfaml.yml, the Azure credential — auto (client secret, then OIDC, then an earlier azure/login), oidc, client-secret, managed-identity or azure-login.',
      root: AUTH_ROOT,
    },
  },
  outputs: {
    errors: { description: 'Number of error findings.', root: ERRORS_ROOT },
    warnings: { description: 'Number of warning findings.', root: WARNINGS_ROOT },
    'report-json': { description: 'The JSON report (findings, suppressed, summary).', root: REPORT_JSON_ROOT },
  },
  action: {
    description:
      'Check Azure ML environments, data versions, the TF Hub model pin, compute, stages and owners; annotate every finding at its file and line.',
  },
};
