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
import { percentile } from './metrics.js';
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

/** Single-image latency on the current backend: warm up, then up to 20 runs within ~3 s. */
export async function measureLatency(
  tf: Tf,
  base: Base,
  predict: (x: Tensor) => Tensor,
): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  const img = tf.randomUniform([1, ...base.inputShape]);
  for (let i = 0; i < 2; i++) tf.tidy(() => predict(img)).dispose();
  const budget = Date.now() + 3000;
  while (samples.length < 20 && (samples.length < 5 || Date.now() < budget)) {
    const s = performance.now();
    const y = tf.tidy(() => predict(img));
    await y.data();
    samples.push(performance.now() - s);
    y.dispose();
  }
  img.dispose();
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
