/**
 * The model as users load it, and its single-image latency. Layers base: one model, image in, class probabilities
 * out. Graph base: the head (features in) in model/, the hub's graph model beside it in base/.
 */
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import type { Base } from './base.js';
import type { Head } from './head.js';
import { latencyStats, type LatencyStats } from './metrics.js';
import { fileSaver } from './tfjs-io.js';
import type { TrainJob } from './trainer.js';

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size;
  return n;
}

/** Writes model/ (and base/ for a graph base) under the out folder; returns how to predict and the folder's size. */
export async function saveModel(
  tf: Tf,
  job: TrainJob,
  base: Base,
  h: Head,
): Promise<{ predict: (x: Tensor) => Tensor; modelBytes: number }> {
  mkdirSync(job.outDir, { recursive: true });
  let predict: (x: Tensor) => Tensor;
  if (base.layers) {
    const full = tf.model({
      inputs: base.layers.inputs,
      outputs: h.dense.apply(base.featureOutput!) as SymbolicTensor,
      name: 'tfaml_classifier',
    });
    await full.save(fileSaver(path.join(job.outDir, 'model')));
    predict = (x) => full.predict(x) as Tensor;
  } else {
    await h.head.save(fileSaver(path.join(job.outDir, 'model')));
    cpSync(job.modelDir, path.join(job.outDir, 'base'), { recursive: true });
    predict = (x) => h.head.predict(base.extract(x)) as Tensor;
  }
  return { predict, modelBytes: dirBytes(job.outDir) };
}

/** Rounds of timed runs: 7 gives true quartiles (the 2nd and 6th) and a median that is one of them. */
const LATENCY_ROUNDS = 7;
const LATENCY_WARMUP = 3;
/**
 * About this long for all rounds together, as the single round before took: each round has 1 to 20 runs, sized from
 * the last warm-up run (6 at 70 ms an image, wasm on 2 cores), so a busy machine pays no more time, in fewer runs.
 */
const LATENCY_BUDGET_MS = 3000;

/**
 * Single-image latency on the current backend: a few warm-up runs (the first compiles kernels and allocates), then
 * LATENCY_ROUNDS rounds of timed runs, summarised by latencyStats (./metrics.ts) as medians with their spread.
 */
export async function measureLatency(tf: Tf, base: Base, predict: (x: Tensor) => Tensor): Promise<LatencyStats> {
  const img = tf.randomUniform([1, ...base.inputShape]);
  const once = async () => {
    const s = performance.now();
    const y = tf.tidy(() => predict(img));
    await y.data();
    const ms = performance.now() - s;
    y.dispose();
    return ms;
  };
  let last = 0;
  for (let i = 0; i < LATENCY_WARMUP; i++) last = await once();
  const perRound = Math.min(20, Math.max(1, Math.floor(LATENCY_BUDGET_MS / (LATENCY_ROUNDS * Math.max(last, 0.1)))));
  const rounds: number[][] = [];
  for (let r = 0; r < LATENCY_ROUNDS; r++) {
    const samples: number[] = [];
    for (let i = 0; i < perRound; i++) samples.push(await once());
    rounds.push(samples);
  }
  img.dispose();
  return latencyStats(rounds);
}
