/**
 * train: the pinned hub model and the locked data in, a trained model, its metrics and its lineage out, registered
 * in the experiment registry. Thin: settings, the lock checks and the hub model, then src/train/local (or for
 * target: azure the Azure adapter over src/train/azure) does the work, and the outputs.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadHubModel } from '../adapters/hub/loader.js';
import { localRegistries } from '../adapters/local/registry.js';
import { commitSha } from '../adapters/local/whoami.js';
import { parseHubHandle } from '../config/hub.js';
import { containmentProblem } from '../config/paths.js';
import { loadConfig } from '../config/load.js';
import { loadProject } from '../config/project.js';
import { ConfigurationError, UsageError, errorMessage } from '../core/errors.js';
import type { AzureTrainOptions } from '../adapters/azure/train.js';
import { runCostTags } from '../cost/history.js';
import { planCost, planSkus } from '../cost/plan.js';
import { sha256 } from '../core/canonical.js';
import { CancelledError } from '../core/errors.js';
import { BACKENDS } from '../train/local/backend.js';
import { GpuFailure } from '../train/local/fit.js';
import { gatherGpuFacts } from '../adapters/local/gpu.js';
import { diagnose, refusal } from '../gpu/doctor.js';
import { fileURLToPath } from 'node:url';
import { trainSummary } from '../train/local/summary.js';
import { localData, recordHubInLock } from '../train/local/inputs.js';
import { recordedEnvironment, recordRun, trainStaged, type LocalRun, type StagedRun } from '../train/local/run.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';
import { inertMd } from '../core/inert.js';
import { TFAML_VERSION } from '../core/version.js';
import { findReusable, majorOf, trainingFingerprint } from '../train/fingerprint.js';
import { localFingerprintParts, type LocalFingerprintInputs } from '../train/local/fingerprint.js';

export interface TrainSettings {
  /** Path of tfaml.yml. */
  config: string;
  format: 'text' | 'json';
  /** Folder for the model, metrics.json and run.json; must not exist or be empty. Default .tfaml/runs/<run id>. */
  out?: string;
  /** Continue from the last checkpoint of the same configuration. */
  resume: boolean;
  /** auto (tensorflow-gpu, tensorflow, wasm, cpu: the first that starts) or one of them; env TFAML_BACKEND. */
  backend: string;
  /** Replaces https://tfhub.dev and https://www.kaggle.com (mirrors, sovereign clouds, tests); env TFAML_HUB_URL. */
  hubUrl?: string;
  /** target azure: how to authenticate (auto, oidc, secret, managed-identity, azure-login); env TFAML_AUTH. */
  auth?: string;
  /** target azure: cancel this workflow run's job in Azure instead of training (the `if: cancelled()` step). */
  cancel: boolean;
  /** Overrides train.target for this run (the retrain button's choice). */
  target?: 'local' | 'azure';
  /**
   * The data version the caller expects to train on. The repository pins data versions, so this must equal the
   * version of train.data's asset file: a different one is refused with where to bump it, never trained silently.
   */
  dataVersion?: string;
  /** Why this run happened (recorded as the tfaml.reason tag). */
  reason?: string;
  /** Train even when a model with this training fingerprint is registered (src/train/fingerprint.ts). */
  force: boolean;
}

export function readTrainSettings(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): TrainSettings {
  const backend = inputs.get('backend') ?? (env.TFAML_BACKEND || 'auto');
  if (backend !== 'auto' && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(
      `input backend is ${JSON.stringify(backend)}${inputs.get('backend') ? '' : ' (from TFAML_BACKEND)'}; it must be one of auto, ${BACKENDS.join(', ')}`,
    );
  }
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    out: inputs.get('out'),
    resume: readBoolean(inputs, 'resume', false),
    backend,
    hubUrl: inputs.get('hub-url') ?? (env.TFAML_HUB_URL || undefined),
    auth: inputs.get('auth'),
    cancel: readBoolean(inputs, 'cancel', false),
    target:
      inputs.get('target') === undefined
        ? undefined
        : readChoice(inputs, 'target', ['local', 'azure'] as const, 'local'),
    dataVersion: inputs.get('data-version'),
    reason: inputs.get('reason'),
    force: readBoolean(inputs, 'force', false),
  };
}

/**
 * target: azure — the Azure adapter ensures the environment and data versions, submits the command job under a
 * deterministic name, follows it to the end (cancelling it if this process is told to stop), reads the metrics
 * through MLflow and registers the model in the workspace with its lineage.
 */
async function trainAzure(
  s: TrainSettings,
  config: ReturnType<typeof loadConfig>,
  project: ReturnType<typeof loadProject>,
  out: Output,
): Promise<number> {
  const { trainOnAzure, cancelAzureRun } = await import('../adapters/azure/train.js');
  const { resolveProject } = await import('../lock/resolve.js');
  const runId = process.env.GITHUB_RUN_ID
    ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`
    : undefined;
  if (s.cancel) {
    if (config.train?.target !== 'azure' || !config.workspace) {
      // The cancel step runs for every cancelled workflow; a local run has nothing in Azure to cancel.
      out.print('nothing to cancel in Azure: this project trains on the runner (train.target is not azure)\n');
      return 0;
    }
    if (!runId)
      throw new UsageError('input cancel needs GITHUB_RUN_ID: it cancels the Azure ML job this workflow run submitted');
    const cancelled = await cancelAzureRun(project, runId, { log: out.log, auth: s.auth });
    out.print(
      cancelled.length
        ? `cancelled in Azure: ${cancelled.join(', ')}\n`
        : 'no running Azure ML job of this workflow run to cancel\n',
    );
    return 0;
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const resolved = await resolveProject(project, { log: out.log });
    const r = await trainOnAzure(project, resolved, {
      log: out.log,
      auth: s.auth,
      gitSha: commitSha(config.root),
      configHash: sha256(readFileSync(path.resolve(s.config))),
      runId,
      signal: ac.signal,
      force: s.force,
      costTags: await runCostTagger(project, out.log),
    });
    if (r.decision === 'reused')
      return reportReuse(
        s,
        out,
        { ...r.model, metrics: r.metrics, registry: `workspace ${config.workspace!.name}` },
        r.fingerprint,
      );
    const report = {
      decision: r.decision,
      fingerprint: r.fingerprint,
      model: r.model,
      job: r.jobName,
      submitted: r.submitted,
      status: r.status,
      metrics: r.metrics,
      tags: r.tags,
    };
    if (s.format === 'json') out.print(JSON.stringify(report, null, 2) + '\n');
    else
      out.print(
        `✔ ${r.jobName} ${r.status}${r.submitted ? '' : ' (already submitted by an earlier attempt)'}; registered ${r.model.name} version ${r.model.version} in the workspace\n`,
      );
    await out.summary(
      `### tfaml train: ${r.model.name} ${r.model.version} (Azure ML job \`${r.jobName}\`)\n\n| metric | value |\n|---|---:|\n${Object.entries(
        r.metrics,
      )
        .map(([k, v]) => `| ${k} | ${v} |`)
        .join('\n')}\n`,
    );
    out.setOutput('model-version', r.model.version);
    out.setOutput('metrics-json', JSON.stringify(r.metrics));
    out.setOutput('decision', 'trained');
    out.setOutput('fingerprint', r.fingerprint);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * What records an Azure run's estimated and actual cost on its model (src/cost/history.ts): the project's cost plan
 * priced once before the job, as `tfaml cost` prices it. Without a `cost:` section, or prices, the run records none:
 * pricing never stops a training run.
 */
async function runCostTagger(
  project: ReturnType<typeof loadProject>,
  log: Output['log'],
): Promise<AzureTrainOptions['costTags']> {
  try {
    const plan = planCost(project);
    if (!plan?.training) return undefined;
    const { pricesFor } = await import('../adapters/prices/index.js');
    const priced = await pricesFor('auto', { projectRoot: project.config.root, log, currency: plan.currency }).lookup(
      plan.region,
      planSkus(plan),
    );
    return (run, earlier) => runCostTags(plan, priced.prices, priced.source, earlier, run);
  } catch (e) {
    log.warning(`train: the run's cost will not be recorded (${errorMessage(e).split('\n')[0]})`);
    return undefined;
  }
}

export async function train(inputs: Inputs, out: Output): Promise<number> {
  const s = readTrainSettings(inputs);
  const started = Date.now();
  const config = loadConfig(s.config);
  // The model, metrics and run record are written under --out: it stays inside the project (src/config/paths.ts).
  const outside =
    s.out === undefined
      ? undefined
      : containmentProblem(config.boundary, path.resolve(s.out), { what: 'the out input (--out)', written: s.out });
  if (outside) throw outside;
  const project = loadProject(config);
  const m = config.model;
  const t = config.train;
  if (!m)
    throw new ConfigurationError('tfaml.yml has no `model`; train needs the hub model to start from', {
      file: config.doc.file,
      line: 1,
    });
  if (!t)
    throw new ConfigurationError(
      'tfaml.yml has no `train` section; add one with data, epochs, batch-size, learning-rate, validation-split and seed',
      { file: config.doc.file, line: 1 },
    );
  if (s.target) t.target = s.target;
  if (s.dataVersion !== undefined) {
    const asset = project.data.find((d) => d.name === t.data);
    if (asset && asset.version !== s.dataVersion) {
      throw new UsageError(
        `data-version ${s.dataVersion} is not the version this commit pins for ${asset.name} (${asset.version ?? 'none'} in ${asset.doc.file}); data versions are pinned in the repository: change \`version:\` there in a pull request, then retrain`,
      );
    }
  }
  if (t.target === 'azure' || s.cancel) {
    if (t.target === 'azure' && !config.workspace)
      throw new ConfigurationError(
        'train.target is azure but tfaml.yml has no `workspace:` (subscription-id, resource-group, name) to submit the job to; add it, or use target: local',
        config.doc.locate(['train', 'target']),
      );
    return trainAzure(s, config, project, out);
  }
  if (config.registries.experiment !== 'local')
    throw new ConfigurationError(
      'registries.experiment: workspace needs train.target: azure (a local run registers in the embedded registry); set experiment: local, or train on Azure',
      config.doc.locate(['registries', 'experiment']),
    );
  // An explicit GPU backend on a machine that cannot use one is the user's to fix, with doctor's findings, before any
  // download or training. The packages are probed from here, where the trainer will import them.
  if (s.backend === 'tensorflow-gpu') {
    const facts = gatherGpuFacts(path.dirname(fileURLToPath(import.meta.url)));
    const d = diagnose(facts);
    if (d.verdict !== 'gpu') throw new UsageError(refusal(facts, d));
  }
  const { data, cacheDir, lock } = await localData(project, t);
  // On a runner the lock is the pin: a remote model whose files tfaml.lock does not record would be trusted as
  // downloaded (and its hashes written only to this runner's copy). `tfaml lock` records them once, reviewably.
  const lockedModel = lock?.models[m.name];
  if (
    process.env.GITHUB_ACTIONS === 'true' &&
    parseHubHandle(m.hub).kind !== 'local' &&
    !(lockedModel?.hub === m.hub && lockedModel.files && Object.keys(lockedModel.files).length > 0)
  )
    throw new ConfigurationError(
      `tfaml.lock records no file hashes for ${m.hub}, so on a runner its download could not be checked; run \`tfaml lock\` and commit tfaml.lock`,
      config.doc.locate(['model', 'hub']),
    );
  const hub = await loadHubModel({
    hub: m.hub,
    root: config.root,
    locked: lock?.models[m.name],
    hubUrl: s.hubUrl,
    log: out.log,
  });
  out.log.info(`model: ${m.hub} (${hub.hash.slice(0, 19)}…${hub.fromCache ? ', from the cache' : ''})`);
  recordHubInLock(config.root, lock, m, hub, out.log);

  const fingerprintInputs: LocalFingerprintInputs = {
    project,
    model: m,
    train: t,
    environment: recordedEnvironment(project, t.job),
    data,
    hub,
    backend: s.backend,
    cacheDir,
    tfamlMajor: majorOf(TFAML_VERSION),
  };
  const registry = localRegistries(config.root).experiment;
  const predicted = trainingFingerprint(await localFingerprintParts(fingerprintInputs));
  if (!s.force) {
    const found = findReusable(await registry.list(m.name), predicted);
    if (found) return reportReuse(s, out, { ...found, registry: registry.description }, predicted);
  }

  const runId = `${new Date(started).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  const run: LocalRun = {
    model: m,
    train: t,
    data,
    hub: { dir: hub.dir, hash: hub.hash, source: hub.source },
    cacheDir,
    checkpoint: path.join(config.root, '.tfaml', 'checkpoints', `${m.name}.json`),
    backend: s.backend,
    resume: s.resume,
    outDir: path.resolve(s.out ?? path.join(config.root, '.tfaml', 'runs', runId)),
    runId,
    started,
    log: out.log,
  };
  let cancelled = false;
  const onTerm = () => {
    cancelled = true;
    out.log.warning('SIGTERM: writing a checkpoint and stopping');
  };
  // SIGTERM asks for a checkpoint while the model trains; afterwards it stops the process as usual.
  let staged: StagedRun;
  process.on('SIGTERM', onTerm);
  try {
    staged = await trainStaged(run, () => cancelled);
  } catch (err) {
    if (err instanceof GpuFailure)
      throw new ConfigurationError(err.message, config.doc.locate(['train', 'batch-size']));
    if (err instanceof CancelledError) {
      out.log.warning(
        `cancelled: the checkpoint is in .tfaml/checkpoints/${m.name}.json; run again with --resume to continue`,
      );
      return 143;
    }
    throw err;
  } finally {
    process.off('SIGTERM', onTerm);
  }

  // The fingerprint recorded is the backend's that really trained (a native package may have failed to start).
  const fingerprint = trainingFingerprint(await localFingerprintParts(fingerprintInputs, staged.result.backend));
  const { metrics, metricsDoc, version, seconds, ...recorded } = await recordRun(
    run,
    staged,
    {
      gitSha: commitSha(config.root),
      config: { file: path.basename(s.config), hash: sha256(readFileSync(path.resolve(s.config))) },
      environment: fingerprintInputs.environment,
      reason: s.reason,
      fingerprint,
    },
    registry,
  );
  const { result } = staged;
  const e = result.evaluation;
  const outDir = run.outDir;
  const report = {
    decision: 'trained',
    fingerprint,
    model: m.name,
    version: version.version,
    registry: registry.description,
    location: version.location,
    out: outDir,
    metrics: metricsDoc,
    run: recorded.run,
  };
  if (s.format === 'json') out.print(JSON.stringify(report, null, 2) + '\n');
  else {
    out.print(
      `✔ trained ${m.name} on ${result.backend}: accuracy ${e.accuracy.toFixed(3)}, loss ${result.loss.toFixed(4)}, latency p95 ${result.latencyP95Ms.toFixed(1)} ms (${result.inferenceBackend}), ${(result.modelBytes / 1048576).toFixed(1)} MiB\n` +
        `  registered as ${m.name} version ${version.version} in ${registry.description}\n  output: ${outDir}\n`,
    );
  }
  await out.summary(
    trainSummary({
      model: m.name,
      version: version.version,
      registry: registry.description,
      backend: result.backend,
      evaluation: e,
      loss: result.loss,
      latencyP50Ms: result.latencyP50Ms,
      latencyP95Ms: result.latencyP95Ms,
      latencyIqrMs: { p50: result.latency.p50Iqr, p95: result.latency.p95Iqr, rounds: result.latency.rounds },
      modelBytes: result.modelBytes,
      history: result.history,
      classes: result.classes,
      seconds,
    }),
  );
  out.setOutput('model-version', version.version);
  out.setOutput('metrics-json', JSON.stringify(metrics));
  out.setOutput('decision', 'trained');
  out.setOutput('fingerprint', fingerprint);
  return 0;
}

/**
 * A model with this training fingerprint is registered: nothing is trained or submitted, and the outputs name that
 * version as they would a new one, so promote takes it as the candidate.
 */
async function reportReuse(
  s: TrainSettings,
  out: Output,
  v: { name: string; version: string; metrics: Record<string, number>; createdAt?: string; registry: string },
  fingerprint: string,
): Promise<number> {
  const when = v.createdAt ?? 'an unrecorded time';
  if (s.format === 'json')
    out.print(
      JSON.stringify(
        {
          decision: 'reused',
          fingerprint,
          model: v.name,
          version: v.version,
          registry: v.registry,
          trainedAt: v.createdAt ?? null,
          metrics: v.metrics,
        },
        null,
        2,
      ) + '\n',
    );
  else
    out.print(
      `✔ reused ${v.name} version ${v.version} from ${v.registry}, trained ${when}: it has this training fingerprint (${fingerprint.slice(0, 19)}…), so nothing was trained; --force trains again\n`,
    );
  await out.summary(
    `### tfaml train: reused ${inertMd(v.name)} ${inertMd(v.version)}\n\nThe experiment registry already has a model with this training fingerprint (\`${fingerprint}\`), trained ${inertMd(when)}: nothing was trained. Run with \`force\` to train again.\n`,
  );
  out.setOutput('model-version', v.version);
  out.setOutput('metrics-json', JSON.stringify(v.metrics));
  out.setOutput('decision', 'reused');
  out.setOutput('fingerprint', fingerprint);
  return 0;
}
