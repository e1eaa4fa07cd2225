/**
 * The rule ids `tfaml audit` reports, in the order docs/audit.md's rule table lists them (a test holds them together).
 * They live apart from validate's RULES (src/core/findings.ts) because they judge live Azure resources, not files: a
 * finding names a resource and a monthly cost instead of a file and line, and tfaml.yml's `suppress:` (path-scoped)
 * cannot name them.
 */
export const AUDIT_RULES = {
  'audit/compute-instance-running':
    'a compute instance that is running, or that has no idle shutdown and no stop schedule (running with neither: error)',
  'audit/cluster-not-scaled-to-zero':
    'an amlcompute cluster with min nodes above 0 (error), idle scale-down above `policy.max-idle-seconds`, or nodes up with no job running',
  'audit/endpoint-always-on':
    "an online deployment, billed instance type × count × 730 h a month (warning); one that takes 0% of its endpoint's traffic and still bills (error)",
  'audit/job-over-limit':
    'an unfinished job running longer than its `limits.timeout`, or a job tfaml submitted running longer than `train.expected-hours` × 3',
  'audit/untracked-asset':
    'an environment or data version registered in the workspace that no tfaml.lock entry accounts for, or a production model version without an owner tag',
} as const;

export type AuditRuleId = keyof typeof AUDIT_RULES;
