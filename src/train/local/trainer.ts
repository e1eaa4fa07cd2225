/**
 * The local trainer: the hub model's frozen base (graph or layers, cut at `feature-layer`), features cached per
 * (model, data, preprocessing, cut), a softmax head trained on them, and for `top-N` the last N layers up to the
 * feature layer trained too, with their own learning rate, on a backend that has convolution gradients.
 * A checkpoint after every epoch (atomic); `resume` continues from it; a cancel request writes one and stops.
 * runTraining runs the stages in order; each stage is its own file (base, examples, head, checkpoint, fit, export).
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { ModelConfig, TrainConfig } from '../../config/types.js';
import type { Log } from '../../core/ports.js';
import { backendOrder, selectBackend, type BackendName } from './backend.js';
import { loadBase } from './base.js';
import { fingerprint, resumeFrom, type StartPoint } from './checkpoint.js';
import { exampleTensors, extractFeatures, splitUsable } from './examples.js';
import { measureLatency, saveModel } from './export.js';
import { fit } from './fit.js';
import { buildHead } from './head.js';
import { listDataset } from './images.js';
import { evaluate, type Evaluation, type LatencyStats } from './metrics.js';
import type { EpochRecord } from './progress.js';

export interface TrainJob {
  model: ModelConfig;
  train: TrainConfig;
  /** Folder of the hub model (model.json + shards) and its hash. */
  modelDir: string;
  modelHash: string;
  dataDir: string;
  /** Project-relative, for messages. */
  dataDisplay: string;
  dataHash: string;
  /** auto | tensorflow-gpu | tensorflow | wasm | cpu */
  backend: string;
  /** Where features are cached (e.g. <root>/.tfaml/cache/features). */
  featureCacheDir: string;
  /** The checkpoint file (JSON). */
  checkpoint: string;
  resume: boolean;
  /** Written here: model/ (and base/ for a graph base). */
  outDir: string;
  log: Log;
  cancelled?: () => boolean;
  /** Override epochs (bench). */
  epochs?: number;
}

export interface TrainOutcome {
  classes: string[];
  evaluation: Evaluation;
  loss: number;
  history: EpochRecord[];
  backend: BackendName;
  /** The backend that ran the frozen base (extraction and latency); differs from `backend` for top-N on wasm. */
  inferenceBackend: BackendName;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** The spread behind the two above, and how they were measured (./export.ts measureLatency). */
  latency: LatencyStats;
  modelBytes: number;
  examples: { train: number; validation: number; bad: { file: string; reason: string }[] };
  features: { fromCache: boolean; seconds: number; imagesPerSecond: number; dim: number[] };
  timings: { extractSeconds: number; trainSeconds: number; totalSeconds: number };
  resumedFrom?: number;
  learningRates: { head: number; fineTune?: number };
}

export async function runTraining(job: TrainJob): Promise<TrainOutcome> {
  const t0 = Date.now();
  const { log } = job;
  const fine = job.model.fineTune ?? { mode: 'none' as const };
  const dataset = listDataset(job.dataDir, job.dataDisplay);
  const classes = dataset.classes;

  // The frozen base only runs forward: the fastest backend. Training top-N needs conv gradients (not wasm).
  backendOrder(job.backend, fine.mode === 'top'); // an impossible choice (top-N on wasm) fails before any work
  const inference = await selectBackend(job.backend, false, log);
  const tf = inference.tf;
  const base = await loadBase(tf, job);
  const fset = await extractFeatures(tf, job, base, dataset, inference.name);
  const examples = splitUsable(job, dataset, fset);

  // Training backend: top-N needs conv gradients; the features are plain arrays, so switching is free.
  const trainer = fine.mode === 'top' ? await selectBackend(job.backend, true, log) : inference;
  const tensors = exampleTensors(tf, examples, fset.shape, classes.length, job);
  const h = buildHead(tf, job, base, fset.shape, classes.length);
  const fp = fingerprint(job, classes);
  let start: StartPoint = { history: [], startEpoch: 0 };
  if (job.resume) {
    start = await resumeFrom(tf, job.checkpoint, fp, h);
    log.info(`resumed from the checkpoint after epoch ${start.startEpoch}`);
  }
  const tTrain = Date.now();
  const history = await fit(tf, job, h, tensors, examples.train.length, fp, start);
  const trainSeconds = (Date.now() - tTrain) / 1000;

  const probs = h.head.predict(tensors.xVal) as Tensor;
  const predicted = Array.from(await tf.argMax(probs, -1).data());
  const evaluation = evaluate(
    examples.evaluation.map((e) => e.label),
    predicted,
    classes,
  );
  const loss = history.length ? history[history.length - 1]!.valLoss : NaN;
  tf.dispose([tensors.xTrain, tensors.yTrain, tensors.xVal, tensors.yVal, probs]);

  // The model is saved, and its latency measured, on the inference backend.
  if (trainer.name !== inference.name) await selectBackend(inference.name, false);
  const { predict, modelBytes } = await saveModel(tf, job, base, h);
  const latency = await measureLatency(tf, base, predict);

  return {
    classes,
    evaluation,
    loss,
    history,
    backend: trainer.name,
    inferenceBackend: inference.name,
    latencyP50Ms: latency.p50,
    latencyP95Ms: latency.p95,
    latency,
    modelBytes,
    examples: { train: examples.train.length, validation: examples.validation.length, bad: fset.bad },
    features: {
      fromCache: fset.fromCache,
      seconds: fset.seconds,
      imagesPerSecond: fset.imagesPerSecond,
      dim: fset.shape,
    },
    timings: { extractSeconds: fset.seconds, trainSeconds, totalSeconds: (Date.now() - t0) / 1000 },
    resumedFrom: start.resumedFrom,
    learningRates: { head: h.learningRates.head, ...(fine.mode === 'top' ? { fineTune: h.learningRates.top } : {}) },
  };
}
