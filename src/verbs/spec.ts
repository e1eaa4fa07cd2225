/**
 * What a verb is, declared once: its inputs (the action inputs and the CLI flags of the same name), its outputs and
 * the events it runs on. src/commands/index.ts builds the command table from these, `tfaml <verb> --help` prints
 * them, and scripts/gen.mjs writes action.yml, actions/<verb>/action.yml and the README's action usage from them.
 * Pure data: nothing here may import beyond src/core, so the generator can bundle it on its own.
 */

export interface InputSpec {
  /** boolean: a flag without a value on the CLI, 'true'/'false' in a workflow; choice: one of `choices`. */
  readonly type: 'boolean' | 'string' | 'choice';
  readonly choices?: readonly string[];
  /** The verb's own action.yml and `tfaml <verb> --help` show it. */
  readonly description: string;
  /** What the verb uses when the input is absent on the CLI; action.yml declares it too unless actionDefault says otherwise. */
  readonly default?: string | boolean;
  /** What action.yml declares where a workflow's default differs from the CLI's, e.g. a `${{ }}` expression. */
  readonly actionDefault?: string;
  /** Read only by the composite action's own steps (never by the command): no flag, no env for the bundle. */
  readonly actionOnly?: boolean;
  /**
   * The root action.yml (every verb through `command`) serves all verbs with one entry per input. Its description
   * is "<verb> — <description>" for an input of one verb and the description for one every verb reads alike; an
   * input that verbs word differently says here how the root action words it. `default: null`: the root action
   * declares none, so the command's own fallback (e.g. an environment variable) applies.
   */
  readonly root?: { readonly description?: string; readonly default?: null };
}

interface OutputSpec {
  readonly description: string;
  /** The root action.yml's wording, when it is not "<verb> — <description>". */
  readonly root?: string;
}

export interface VerbSpec {
  readonly name: string;
  /** One line for `tfaml --help`. */
  readonly summary: string;
  /** In the order action.yml and --help list them. */
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly outputs: Readonly<Record<string, OutputSpec>>;
  /** The workflow events it makes sense on, as an action; undefined: any event. */
  readonly events?: readonly string[];
  /** Present when the verb has its own composite action, actions/<name>/action.yml: its description. */
  readonly action?: { readonly description: string };
}

/** Inputs several verbs read, each verb wording the description for itself. */
const CONFIG_TEXT = 'Path of tfaml.yml; every path inside it resolves against its folder.';
export const CONFIG: InputSpec = {
  type: 'string',
  default: 'tfaml.yml',
  description: CONFIG_TEXT,
  // Every verb but init (which writes tfaml.yml) reads it alike.
  root: { description: CONFIG_TEXT },
};

const FORMAT_ROOT = { description: 'text or json (the JSON document also goes to the report-json output).' };

export function format(description: string): InputSpec {
  return { type: 'choice', choices: ['text', 'json'], default: 'text', description, root: FORMAT_ROOT };
}

export const BASE_ROOT = {
  description:
    "validate — the git ref to compare with for env/version-not-bumped, whose policy.* and suppressions apply; cost — the ref to diff the estimate against, whose budget applies. Defaults to the pull request's base SHA.",
};
export const BASE_DEFAULT = '${{ github.event.pull_request.base.sha }}';

export const AUTH_ROOT = {
  description:
    'validate (with a workspace), train (target azure), audit — the Azure credential, one of auto, oidc, client-secret, managed-identity or azure-login.',
};
/** src/adapters/azure/auth.ts AUTH_MODES (test/verbs/spec.test.ts holds them together). */
export const AUTH_MODES = ['auto', 'oidc', 'client-secret', 'managed-identity', 'azure-login'] as const;

export const REASON_ROOT = {
  description:
    'train, promote — why this run happened (train tags the model with it; promote records it in the production history with who did it; required with rollback).',
};

export const REPORT_JSON_ROOT =
  'validate — the JSON report (findings, suppressed, summary); promote — the decision report.';

/** How the root action words `force`, which lock and init read with different meanings. */
export const FORCE_ROOT = {
  description:
    'lock — overwrite locked versions whose content changed (only for a version that never left the branch); init — write tfaml.yml and the workflows even where they exist; train — train even when a model with the same training fingerprint is registered.',
};

/** How the root action words `out`, which train (a folder) and report (a file) read with different meanings. */
export const OUT_ROOT = {
  description: 'train — the folder for the model, metrics.json and run.json; report — where to write report.html.',
};

/** The root action's `decision` output, which promote and train both set. */
export const DECISION_ROOT =
  'promote — promoted, unchanged, would-promote, rejected, lost, rolled-back or would-roll-back; train — trained, or reused (a model with the same training fingerprint was registered).';

/** How the root action words inputs and outputs cost and audit share. */
export const PRICES_ROOT = {
  description:
    'cost, audit — auto (the Azure Retail Prices API, the bundled snapshot when it cannot be reached), api or snapshot.',
};
export const GITHUB_TOKEN_ROOT = {
  description:
    "cost — token that may comment on the pull request (a fork's read-only token gets the job summary and a notice); audit — token that may write the audit issue.",
};
export const MONTH_USD_ROOT =
  'cost — expected always-on cost per month; audit — what the flagged resources cost a month at current prices.';
/** How the root action words the finding counts validate and audit set. */
export const ERRORS_ROOT = 'validate, audit — number of error findings.';
export const WARNINGS_ROOT = 'validate, audit — number of warning findings.';
