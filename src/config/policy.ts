/**
 * The policy that judges a pull request: the budget (cost.budget-usd, cost.max-increase-usd, cost.override-label),
 * policy.* and the suppressions. Everything in a pull request's checkout is the PR's to change, tfaml.yml included,
 * so with a base ref the limits come from the base's tfaml.yml and a PR that changes them is told so; only a base
 * without tfaml.yml (the PR adds tfaml) leaves the PR's own values to apply.
 *
 * The base's policy is read from its tfaml.yml alone, not the whole project: a base whose other files a checkout
 * lacks (git-ignored local data) still has a policy, and so does a base written for an older schema (a PR that
 * upgrades tfaml must still be judged by the limits the base set). Only values of the right type are taken.
 */
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import type { ProjectFiles } from './files.js';
import { relPath } from './load.js';
import { SourceDoc } from './source.js';
import { DEFAULT_MAX_IDLE_SECONDS, type TfamlConfig } from './types.js';

/** A suppression as policy sees it: what it hides, not why. */
export interface SuppressionScope {
  rule: string;
  path?: string;
}

export interface Policy {
  budgetUsd?: number;
  maxIncreaseUsd?: number;
  overrideLabel?: string;
  /** policy.max-idle-seconds, with its default. */
  maxIdleSeconds: number;
  suppress: SuppressionScope[];
}

export function policyOf(config: TfamlConfig): Policy {
  return {
    budgetUsd: config.cost?.budgetUsd,
    maxIncreaseUsd: config.cost?.maxIncreaseUsd,
    overrideLabel: config.cost?.overrideLabel,
    maxIdleSeconds: config.policy.maxIdleSeconds,
    suppress: config.suppress.map((s) => ({ rule: s.rule, path: s.path })),
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const limit = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The policy in a parsed tfaml.yml, taking only well-typed values (what the schema would accept). */
function policyOfData(data: unknown): Policy {
  const d = obj(data);
  const cost = obj(d.cost);
  const label = cost['override-label'];
  return {
    budgetUsd: limit(cost['budget-usd']),
    maxIncreaseUsd: limit(cost['max-increase-usd']),
    overrideLabel: typeof label === 'string' && label.trim() !== '' ? label : undefined,
    maxIdleSeconds: limit(obj(d.policy)['max-idle-seconds']) ?? DEFAULT_MAX_IDLE_SECONDS,
    suppress: (Array.isArray(d.suppress) ? d.suppress : [])
      .map(obj)
      .filter((s) => typeof s.rule === 'string')
      .map((s) => ({ rule: s.rule as string, path: typeof s.path === 'string' ? relPath(s.path) : undefined })),
  };
}

/** The base's policy, or why there is none (the PR's values then apply, and the report says why). */
export type BasePolicy = { policy: Policy } | { missing: string };

/** Read the policy of the tfaml.yml at `configPath` in `files` (the base ref's files), named `ref` in messages. */
export function readBasePolicy(configPath: string, files: ProjectFiles, ref: string): BasePolicy {
  const abs = path.resolve(configPath);
  const name = path.basename(abs);
  if (!files.exists(abs)) return { missing: `${name} did not exist at ${ref}` };
  try {
    return { policy: policyOfData(SourceDoc.read(name, abs, undefined, 'config file', files).data) };
  } catch (e) {
    // The base's text comes from git, so the pull request cannot make it unreadable; a base broken on its own is
    // told, and the PR's values apply rather than every pull request failing until the base is repaired.
    if (e instanceof ConfigurationError) return { missing: `${name} at ${ref} could not be read (${e.message})` };
    throw e;
  }
}

export type PolicyKey = 'cost.budget-usd' | 'cost.max-increase-usd' | 'cost.override-label' | 'policy.max-idle-seconds';

export interface PolicyChange {
  key: PolicyKey;
  /** Undefined when that side does not set it. */
  base?: number | string;
  head?: number | string;
}

/** Which tfaml.yml the limits were taken from, and what the pull request would change about them. */
export type PolicySource =
  { from: 'base'; ref: string; changes: PolicyChange[] } | { from: 'pr'; ref: string; reason: string };

const VALUE: Record<PolicyKey, (p: Policy) => number | string | undefined> = {
  'cost.budget-usd': (p) => p.budgetUsd,
  'cost.max-increase-usd': (p) => p.maxIncreaseUsd,
  'cost.override-label': (p) => p.overrideLabel,
  'policy.max-idle-seconds': (p) => p.maxIdleSeconds,
};

/**
 * The policy that applies and where it comes from: the base's when the base has a tfaml.yml, else the PR's. `keys`
 * are the settings the caller enforces (cost the budget, validate policy.*), the only changes worth telling.
 */
export function judgingPolicy(
  head: Policy,
  base: BasePolicy,
  ref: string,
  keys: readonly PolicyKey[],
): { policy: Policy; source: PolicySource } {
  if ('missing' in base) return { policy: head, source: { from: 'pr', ref, reason: base.missing } };
  const changes = keys
    .map((key) => ({ key, base: VALUE[key](base.policy), head: VALUE[key](head) }))
    .filter((c) => c.base !== c.head);
  return { policy: base.policy, source: { from: 'base', ref, changes } };
}

/** The suppressions in `head` that no suppression in `base` already covers (same rule, same or a wider path). */
export function isNewSuppression(s: SuppressionScope, base: readonly SuppressionScope[]): boolean {
  return !base.some(
    (b) =>
      b.rule === s.rule &&
      (b.path === undefined ||
        (s.path !== undefined && (s.path === b.path || s.path.startsWith(`${b.path.replace(/\/+$/, '')}/`)))),
  );
}

const usd = (x: number) => `$${Number.isInteger(x) ? x : x.toFixed(2)}`;

/**
 * One change as a sentence, e.g. "this PR raises `cost.budget-usd` from $50 to $500; the base's limit applies
 * until it merges". `code` shows a value the PR wrote (mdCode in markdown): only the override label is free text.
 */
export function describeChange(c: PolicyChange, code: (value: string) => string): string {
  const show = (v: number | string) =>
    typeof v === 'string' ? code(v) : c.key.startsWith('cost.') ? usd(v) : `${v} s`;
  const what = c.key === 'cost.override-label' ? 'label' : 'limit';
  const key = `\`${c.key}\``;
  if (c.base === undefined)
    return `this PR sets ${key} to ${show(c.head!)}; the base sets no ${what}, and none applies until it merges`;
  if (c.head === undefined)
    return `this PR removes ${key} (${show(c.base)} on the base); the base's ${what} applies until it merges`;
  const verb =
    typeof c.base === 'number' && typeof c.head === 'number' ? (c.head > c.base ? 'raises' : 'lowers') : 'changes';
  return `this PR ${verb} ${key} from ${show(c.base)} to ${show(c.head)}; the base's ${what} applies until it merges`;
}
