/**
 * A local training run around the trainer: the out folder staged beside itself (whole or absent), the model trained
 * into it, then metrics.json and run.json written, the folder renamed into place and registered in the experiment
 * registry with its metrics and lineage as tags. src/commands/train.ts resolves the inputs (data, lock, hub model) and
 * prints what this returns.
 */
import type { LocalMetric } from '../metric-names.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../config/project.js';
import type { ModelConfig, TrainConfig } from '../../config/types.js';
import { UsageError } from '../../core/errors.js';
import { escapeRegExp, removeDeadWriters } from '../../core/fs.js';
import type { Log, ModelRegistry, ModelVersion } from '../../core/ports.js';
import { TAGS } from '../../core/tags.js';
import { runTraining, type TrainOutcome } from './trainer.js';

export interface LocalRun {
  model: ModelConfig;
  train: TrainConfig;
  /** The data asset: its folder, the project-relative folder for messages, and its content hash. */
  data: { name: string; version?: string; dir: string; display: string; hash: string };
  /** The hub model's local folder, hash and where it came from. */
  hub: { dir: string; hash: string; source: string };
  /** The project's cache folder (src/core/cache.ts); features are cached under it. */
  cacheDir: string;
  /** The checkpoint file of this model. */
  checkpoint: string;
  backend: string;
  resume: boolean;
  /** The final out folder; must not exist or be empty. */
  outDir: string;
  runId: string;
  /** When the run started (ms since the epoch). */
  started: number;
  log: Log;
}

/** What the run records beside the model: where it came from and why. */
export interface RunLineage {
  gitSha: string;
  config: { file: string; hash: string };
  environment: string;
  reason?: string;
  /** The training fingerprint (src/train/fingerprint.ts), recorded so a later run can reuse this one. */
  fingerprint?: string;
}

export interface StagedRun {
  staging: string;
  result: TrainOutcome;
}

/** The out folder is staged beside itself and renamed into place, so it is whole or absent. */
function prepareOut(out: string): string {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new UsageError(`--out ${out} exists and is not empty; name a new folder (each run writes its own)`);
  const staging = path.join(
    path.dirname(out),
    `.${path.basename(out)}.staging-${process.pid}-${randomBytes(3).toString('hex')}`,
  );
  // A run killed outright (SIGKILL) left its staging folder here; nothing else would ever remove it.
  const mine = escapeRegExp(path.basename(out));
  removeDeadWriters(path.dirname(out), new RegExp(`^\\.${mine}\\.staging-(\\d+)-[0-9a-f]+$`));
  try {
    mkdirSync(path.dirname(out), { recursive: true });
    mkdirSync(staging);
  } catch (err) {
    throw new UsageError(
      `--out ${out} is not writable (${(err as NodeJS.ErrnoException).code ?? String(err)}); choose a folder you can write to`,
    );
  }
  return staging;
}

/** Trains into a staging folder; on any failure (a cancel too) the staging folder is removed and the error thrown. */
export async function trainStaged(r: LocalRun, cancelled: () => boolean): Promise<StagedRun> {
  const staging = prepareOut(r.outDir);
  try {
    const result = await runTraining({
      model: r.model,
      train: r.train,
      modelDir: r.hub.dir,
      modelHash: r.hub.hash,
      dataDir: r.data.dir,
      dataDisplay: r.data.display,
      dataHash: r.data.hash,
      backend: r.backend,
      featureCacheDir: path.join(r.cacheDir, 'features'),
      checkpoint: r.checkpoint,
      resume: r.resume,
      outDir: staging,
      log: r.log,
      cancelled,
    });
    return { staging, result };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** The environment the run is recorded under: the train job's, else the project's first, else `unknown`. */
export function recordedEnvironment(project: Project, jobPath: string | undefined): string {
  const env = project.jobs.find((j) => j.entry.path === jobPath)?.environment?.value;
  return typeof env === 'string'
    ? env.replace(/^azureml:/, '')
    : project.environments[0]
      ? `${project.environments[0].name}:${project.environments[0].version ?? ''}`
      : 'unknown';
}

/** The metrics the gates read (also the registry's metrics); their names are LOCAL_METRICS, which validate checks. */
function headlineMetrics(result: TrainOutcome): Record<LocalMetric, number> {
  const e = result.evaluation;
  return {
    accuracy: e.accuracy,
    loss: result.loss,
    macro_f1: e.macroF1,
    latency_p50_ms: result.latencyP50Ms,
    latency_p95_ms: result.latencyP95Ms,
    latency_p50_iqr_ms: result.latency.p50Iqr,
    latency_p95_iqr_ms: result.latency.p95Iqr,
    model_bytes: result.modelBytes,
  };
}

/** run.json: what was trained, from what, how and how long. */
function runDocument(r: LocalRun, staged: StagedRun, lineage: RunLineage, seconds: number) {
  const { model: m, train: t } = r;
  const result = staged.result;
  return {
    runId: r.runId,
    gitSha: lineage.gitSha,
    config: lineage.config,
    environment: lineage.environment,
    data: { name: r.data.name, version: r.data.version, hash: r.data.hash },
    hub: { handle: m.hub, hash: r.hub.hash, source: r.hub.source },
    hyperparameters: {
      epochs: t.epochs,
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      fineTuneLearningRate: result.learningRates.fineTune,
      validationSplit: t.validationSplit,
      seed: t.seed,
      fineTune: m.fineTuneText ?? 'none',
      featureLayer: m.featureLayer,
    },
    backend: result.backend,
    inferenceBackend: result.inferenceBackend,
    seed: t.seed,
    classes: result.classes,
    inputShape: m.inputShape,
    examples: { train: result.examples.train, validation: result.examples.validation, skipped: result.examples.bad },
    resumedFrom: result.resumedFrom,
    timings: {
      ...result.timings,
      totalSeconds: seconds,
      featuresFromCache: result.features.fromCache,
      imagesPerSecond: result.features.imagesPerSecond,
    },
    startedAt: new Date(r.started).toISOString(),
  };
}

export interface RecordedRun {
  metrics: ReturnType<typeof headlineMetrics>;
  /** metrics.json: the metrics with per-class results, the confusion matrix and the history. */
  metricsDoc: Record<string, unknown>;
  run: ReturnType<typeof runDocument>;
  version: ModelVersion;
  seconds: number;
}

/** Writes metrics.json and run.json, moves the folder into place and registers it with its lineage as tags. */
export async function recordRun(
  r: LocalRun,
  staged: StagedRun,
  lineage: RunLineage,
  registry: ModelRegistry,
): Promise<RecordedRun> {
  const { result, staging } = staged;
  const e = result.evaluation;
  const metrics = headlineMetrics(result);
  const seconds = (Date.now() - r.started) / 1000;
  const run = runDocument(r, staged, lineage, seconds);
  const metricsDoc = {
    ...metrics,
    per_class: e.perClass,
    confusion_matrix: { classes: result.classes, rows_actual_columns_predicted: e.confusion },
    history: result.history,
    backend: result.inferenceBackend,
    // How the latency figures above were measured: the medians over `rounds` of `samples_per_round` timed runs.
    latency: { rounds: result.latency.rounds, samples_per_round: result.latency.samplesPerRound },
  };
  writeFileSync(path.join(staging, 'metrics.json'), JSON.stringify(metricsDoc, null, 2) + '\n');
  writeFileSync(path.join(staging, 'run.json'), JSON.stringify(run, null, 2) + '\n');
  if (existsSync(r.outDir)) rmdirSync(r.outDir); // checked empty by prepareOut
  renameSync(staging, r.outDir);

  const tags: Record<string, string> = {
    [TAGS.gitSha]: run.gitSha,
    [TAGS.configHash]: run.config.hash,
    [TAGS.environment]: lineage.environment,
    [TAGS.data]: `${r.data.name}:${r.data.version ?? ''}`,
    [TAGS.dataHash]: r.data.hash,
    [TAGS.hub]: r.model.hub,
    [TAGS.hubHash]: r.hub.hash,
    [TAGS.runId]: r.runId,
    [TAGS.backend]: result.backend,
    [TAGS.inputShape]: JSON.stringify(r.model.inputShape),
    [TAGS.classes]: JSON.stringify(result.classes),
    [TAGS.durationSeconds]: seconds.toFixed(1),
    [TAGS.target]: 'local',
    ...(lineage.reason ? { [TAGS.reason]: lineage.reason } : {}),
    ...(lineage.fingerprint ? { [TAGS.fingerprint]: lineage.fingerprint } : {}),
  };
  const version = await registry.create({ name: r.model.name, files: r.outDir, metrics, tags });
  return { metrics, metricsDoc, run, version, seconds };
}
