/** The tag vocabulary: every `tfaml.*` key tfaml writes on a model version, job or asset, spelled once. */

/**
 * Tag keys every registered model carries (lineage and evidence). train writes them, promote copies them into
 * production with the gate evidence, cost reads durations from them. Values are strings; structured values are JSON.
 */
export const TAGS = {
  gitSha: 'tfaml.git-sha',
  configHash: 'tfaml.config-hash',
  /** name:version of the environment the model was trained in. */
  environment: 'tfaml.environment',
  /** name:version of the training data. */
  data: 'tfaml.data',
  dataHash: 'tfaml.data-hash',
  hub: 'tfaml.hub',
  hubHash: 'tfaml.hub-hash',
  runId: 'tfaml.run-id',
  backend: 'tfaml.backend',
  /** JSON array, e.g. [224,224,3]. */
  inputShape: 'tfaml.input-shape',
  /** JSON array of class names in output order. */
  classes: 'tfaml.classes',
  /** Wall-clock seconds of the training run (cost uses it to estimate the next one). */
  durationSeconds: 'tfaml.duration-s',
  /** Why the run happened (the train input `reason`), when given. */
  reason: 'tfaml.reason',
  /** local | azure, and the instance type and count for azure. */
  target: 'tfaml.target',
  instanceType: 'tfaml.instance-type',
  instanceCount: 'tfaml.instance-count',
  /**
   * sha256 over everything that decides what training produces (src/train/fingerprint.ts): train reuses a version
   * with the same fingerprint instead of training again.
   */
  fingerprint: 'tfaml.fingerprint',
  /** An Azure run: the expected cost of one run when it was submitted and the price per node-hour it used. */
  estimatedUsd: 'tfaml.estimated-usd',
  /** An Azure run: what it cost, its real duration × instance count × `priceUsd` (plus idle before scale-down). */
  actualUsd: 'tfaml.actual-usd',
  priceUsd: 'tfaml.price-usd-per-hour',
} as const;

/** Evidence tag keys promote adds to every production version (on top of the candidate's TAGS, copied as is). */
export const PROMOTE_TAGS = {
  /** `<registry>:<name>:<version>` of the experiment version promoted. */
  source: 'tfaml.promoted-from',
  /** JSON object of the candidate's metrics. */
  metrics: 'tfaml.metrics',
  /** The champion it was compared with, or `none`. */
  champion: 'tfaml.champion',
  /** JSON object of the champion's metrics, or `{}`. */
  championMetrics: 'tfaml.champion-metrics',
  /** JSON array of the gate rows (metric, kind, threshold, candidate, champion, status). */
  gates: 'tfaml.gates',
  /** major | minor | patch | initial, and why. */
  bump: 'tfaml.version-bump',
  /** The commit promote ran on (GITHUB_SHA or HEAD), distinct from the training commit in TAGS.gitSha. */
  promoteSha: 'tfaml.promote-sha',
  promotedBy: 'tfaml.promoted-by',
  reason: 'tfaml.promote-reason',
} as const;

/**
 * Tag on every production version promote publishes: who answers for it, the owners tfaml.yml names for the model
 * (its project's `owners`), space-separated. `tfaml audit` flags a production version without it (or a hand-written
 * `owner`, OWNER_TAGS) as audit/untracked-asset.
 */
export const OWNER_TAG = 'tfaml.owner';
/** The tag keys that name a production version's owner, as the audit reads them (case-insensitively). */
export const OWNER_TAGS: readonly string[] = ['owner', OWNER_TAG];

/** Tag on every job tfaml submits: the hash of what was submitted, so a re-run recognises its own job. */
export const SUBMISSION_TAG = 'tfaml.submission';
/** Tag naming the workflow run that submitted a job (GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT), for cancel on workflow cancel. */
export const RUN_TAG = 'tfaml.github-run';
/** Properties on models tfaml registers in Azure (set once, never altered). */
export const MODEL_PROPS = {
  contentHash: 'tfaml.content-hash',
  metrics: 'tfaml.metrics-json',
  job: 'tfaml.job',
} as const;
/** Metric tags: each metric also appears as a tag `tfaml.metric.<name>` so it shows in Azure ML studio. */
export const METRIC_TAG_PREFIX = 'tfaml.metric.';

/** Tag tfaml writes on environments it registers: the same hash tfaml.lock records, for an exact comparison. */
export const ENV_HASH_TAG = 'tfaml.environment-hash';

/** Tag of a champion-log version holding its ChampionEvent as JSON. */
export const EVENT_TAG = 'tfaml.champion-event';

/** Tags on a champion-log version besides EVENT_TAG, so the log reads in Azure ML studio. */
export const CHAMPION_LOG_TAGS = { version: 'tfaml.champion-version', action: 'tfaml.champion-action' } as const;
