/** What validate reports. A finding is about the user's files (or workspace), never about tfaml itself. */

export type Severity = 'error' | 'warning';

export const RULES = {
  'env/unpinned-image':
    "image with no tag, `latest`, or a tag without a digest (error / error / warning); the same for each `FROM` of a `build:` context's Dockerfile",
  'env/missing-version': 'an environment YAML without an explicit `version` (the CLI would auto-increment it)',
  'env/unpinned-package': 'conda or pip dependency without an exact pin (conda `=x.y.z`, pip `==x.y.z`)',
  'env/local-path-dependency': 'a dependency on a local path, `file:`, or an editable install',
  'env/cuda-mismatch':
    'the tensorflow pin does not match the CUDA/cuDNN of the base image, the python version, or the GPU of the compute',
  'env/version-not-bumped':
    'the definition (image, conda file, build context) changed against the base ref, the version did not',
  'env/immutable-conflict': 'the same name:version is locked or registered with different content',
  'data/floating-version':
    'a data asset reference with `@latest`/a label or without a version (error); a raw datastore, URL or local path (warning)',
  'data/hash-mismatch': "the local copy's content differs from tfaml.lock for the same version",
  'data/missing-reference':
    'a job input names a data asset version that is neither registered in the workspace nor defined in tfaml.yml',
  'model/unpinned-handle': 'a hub handle without a version',
  'model/hash-mismatch': 'the model files differ from tfaml.lock',
  'model/finetune-policy': 'fine-tune missing, or impossible for the format (top-N needs layers)',
  'model/serving-policy':
    'a serving decision missing (`loading`, `serving`: warning), or one the project contradicts: realtime without a latency gate, batch or none with an online deployment, baked with no environment that copies the model in, dynamic with an unversioned handle or another handle in tfaml.lock (error; not locked yet is lock/missing-entry)',
  'compute/not-ephemeral': 'min_instances above 0, or idle_time_before_scale_down missing or above the policy',
  'stage/production-uses-experimental': 'a production job or asset refers to an experimental environment or data',
  'owner/missing': 'no owners, or an asset with no owner',
  'job/unknown-reference':
    'a job names a compute, environment version or data version that no file in tfaml.yml and no tfaml.lock entry defines',
  'job/floating-environment': 'a job whose environment is inline, `@<label>`, or a registry `labels/` reference',
  'azureml/unknown-key':
    "a key the Azure ML CLI v2 schema of the file's kind does not have (environment, data asset, compute, command or sweep job, online deployment), with the nearest known key",
  'gate/unknown-metric':
    'a gate reads a metric the local trainer does not record (error), or one an Azure job must be sure to log (warning)',
  'registry/ephemeral-production':
    'production is the embedded registry while validate runs on a GitHub-hosted runner, which throws it away after the job',
  'lock/missing-entry':
    'an environment, data asset or hub model that tfaml.lock does not record yet (run `tfaml lock`)',
  'suppress/unused': 'a suppression that matched no finding (remove it, or fix its rule or path)',
  'cache/committed':
    'a file under `.tfaml/` (caches, registries, checkpoints) is committed; tfaml never reads it on a runner: remove it and ignore `.tfaml/`',
  'cache/not-ignored':
    '`.tfaml/` exists and git does not ignore it, so `git add -A` would commit caches, registries and checkpoints: add `.tfaml/` to .gitignore',
} as const;

export type RuleId = keyof typeof RULES;

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Relative to the project root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
  /** What is wrong and what to change. */
  message: string;
  /** Where the fact came from: the files in the repository, or the Azure ML workspace. */
  source?: 'files' | 'workspace';
}

/** A suppressed finding keeps the reason it was suppressed for, so every report can list it. */
export interface SuppressedFinding extends Finding {
  reason: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
