/**
 * The checkpoint written after every epoch (atomically) and on a cancel request: the head's weights, Adam's state and
 * the history so far, under a fingerprint of what must be equal for `resume` to continue it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import { sha256 } from '../../core/canonical.js';
import { ConfigurationError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs.js';
import type { Tf } from './backend.js';
import type { EpochRecord } from './progress.js';
import type { TrainJob } from './trainer.js';

interface Checkpoint {
  tfaml: 'checkpoint';
  version: 1;
  fingerprint: string;
  epoch: number;
  history: EpochRecord[];
  weights: EncodedTensor[];
  /** Adam's step count and moments, so a resumed run continues exactly where it stopped. */
  optimizers?: { head: (EncodedTensor & { name: string })[]; top: (EncodedTensor & { name: string })[] };
}

interface EncodedTensor {
  shape: number[];
  /** float32 unless said (Adam's step count is int32). */
  dtype?: 'int32';
  /** The values, little-endian, base64. */
  data: string;
}

function encode(t: Tensor): EncodedTensor {
  const v = t.dataSync() as Float32Array | Int32Array;
  return {
    shape: t.shape as number[],
    ...(t.dtype === 'int32' ? { dtype: 'int32' as const } : {}),
    data: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
  };
}

/**
 * What must be equal for a checkpoint to be resumed. Epochs may grow, and the batch size may change: the weights and
 * Adam's state fit any batch size, and a smaller one is what a GPU that ran out of memory asks for (fit.ts).
 */
export function fingerprint(
  job: Pick<TrainJob, 'model' | 'train' | 'modelHash' | 'dataHash'>,
  classes: string[],
): string {
  const { epochs: _e, expectedHours: _h, batchSize: _b, ...train } = job.train;
  const { name: _n, ...model } = job.model;
  return sha256(JSON.stringify({ model, train, modelHash: job.modelHash, dataHash: job.dataHash, classes }));
}

/** The head and its two optimisers: what a checkpoint holds besides the history. */
export interface TrainState {
  head: LayersModel;
  headOpt: Optimizer;
  topOpt: Optimizer;
}

/** Where a run starts: epoch 0 with no history, or where the checkpoint stopped. */
export interface StartPoint {
  history: EpochRecord[];
  startEpoch: number;
  resumedFrom?: number;
}

/** `--resume`: loads the checkpoint into the head and optimisers, refusing one from another configuration. */
export async function resumeFrom(tf: Tf, file: string, fp: string, state: TrainState): Promise<StartPoint> {
  if (!existsSync(file))
    throw new ConfigurationError(`--resume: there is no checkpoint at ${file}; run without --resume to start`);
  const cp = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  if (cp.tfaml !== 'checkpoint' || cp.fingerprint !== fp) {
    throw new ConfigurationError(
      `--resume: the checkpoint at ${file} is from a different configuration (model, data, classes or training settings changed); run without --resume to start over`,
    );
  }
  if (cp.weights.length !== state.head.weights.length)
    throw new ConfigurationError(`--resume: the checkpoint at ${file} does not fit this model; run without --resume`);
  const decode = (w: EncodedTensor) => {
    const b = Buffer.from(w.data, 'base64');
    const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    return w.dtype === 'int32'
      ? tf.tensor(new Int32Array(bytes), w.shape, 'int32')
      : tf.tensor(new Float32Array(bytes), w.shape);
  };
  state.head.setWeights(cp.weights.map(decode));
  if (cp.optimizers) {
    await state.headOpt.setWeights(cp.optimizers.head.map((w) => ({ name: w.name, tensor: decode(w) })));
    await state.topOpt.setWeights(cp.optimizers.top.map((w) => ({ name: w.name, tensor: decode(w) })));
  }
  return { history: cp.history, startEpoch: cp.epoch, resumedFrom: cp.epoch };
}

/** Writes the checkpoint after `epoch` (0: before the first), atomically. */
export async function saveCheckpoint(
  file: string,
  fp: string,
  epoch: number,
  history: EpochRecord[],
  state: TrainState,
): Promise<void> {
  const weights = state.head.weights.map((w) => encode(w.read()));
  const opt = async (o: Optimizer) => (await o.getWeights()).map((w) => ({ name: w.name, ...encode(w.tensor) }));
  const optimizers = { head: await opt(state.headOpt), top: await opt(state.topOpt) };
  mkdirSync(path.dirname(file), { recursive: true });
  const cp: Checkpoint = { tfaml: 'checkpoint', version: 1, fingerprint: fp, epoch, history, weights, optimizers };
  writeFileAtomic(file, JSON.stringify(cp));
}
