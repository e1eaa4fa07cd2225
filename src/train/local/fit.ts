/**
 * The epochs: mini-batches in a seeded order per epoch, a checkpoint after each (atomic), and on a cancel request
 * (SIGTERM) a checkpoint of the last finished epoch and a CancelledError, so `resume` continues where it stopped.
 */
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { CancelledError, ConfigurationError, errorMessage } from '../../core/errors.js';
import type { Tf } from './backend.js';
import { saveCheckpoint, type StartPoint } from './checkpoint.js';
import type { ExampleTensors } from './examples.js';
import type { Head } from './head.js';
import { epochLine, eta, type EpochRecord } from './progress.js';
import { prng, shuffle } from './split.js';
import type { TrainJob } from './trainer.js';

/** Cross-entropy of the head's predictions, without training-time behaviour. */
function lossOf(tf: Tf, h: Head, xs: Tensor, ys: Tensor) {
  const p = h.head.apply(xs, { training: false }) as Tensor;
  return { p, loss: tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) };
}

/** One pass over the training examples in `order`; `cancel` (which throws) runs when a cancel is requested. */
async function trainEpoch(
  tf: Tf,
  job: TrainJob,
  h: Head,
  t: ExampleTensors,
  order: number[],
  cancel: () => Promise<void>,
): Promise<{ lossSum: number; correct: number }> {
  const bs = job.train.batchSize;
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < order.length; i += bs) {
    // Let signal handlers run: tensor reads resolve as microtasks, which would otherwise starve them.
    await new Promise((r) => setImmediate(r));
    if (job.cancelled?.()) await cancel();
    const idx = tf.tensor1d(order.slice(i, i + bs), 'int32');
    const xb = tf.gather(t.xTrain, idx);
    const yb = tf.gather(t.yTrain, idx);
    let batchPred: Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const { p, loss } = lossOf(tf, h, xb, yb);
      batchPred = tf.keep(p);
      return loss as Scalar;
    }, [...h.headVars, ...h.topVars]);
    h.headOpt.applyGradients(h.headVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    if (h.topVars.length) h.topOpt.applyGradients(h.topVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
    const n = idx.shape[0];
    lossSum += (await value.data())[0]! * n;
    correct += (
      await tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(batchPred!, -1), tf.argMax(yb, -1)), 'int32'))).data()
    )[0]!;
    tf.dispose([idx, xb, yb, value, batchPred!, ...Object.values(grads)]);
  }
  return { lossSum, correct };
}

/** Loss and accuracy on the evaluation examples. */
async function validate(tf: Tf, h: Head, t: ExampleTensors): Promise<{ valLoss: number; valAccuracy: number }> {
  const [vl, va] = tf.tidy(() => {
    const { p, loss } = lossOf(tf, h, t.xVal, t.yVal);
    return [loss, tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(t.yVal, -1)), 'float32'))];
  });
  const out = { valLoss: (await vl!.data())[0]!, valAccuracy: (await va!.data())[0]! };
  tf.dispose([vl!, va!]);
  return out;
}

/**
 * What tfjs-node(-gpu) throws when the device fails: libtensorflow's out-of-memory (ResourceExhausted, "OOM when
 * allocating"), CUDA driver and runtime errors, cuDNN and cuBLAS statuses, and the Xid errors a failing GPU logs.
 */
const GPU_ERROR =
  /\bOOM\b|out of memory|ResourceExhausted|failed to allocate|CUDA_ERROR_\w+|cudaError\w*|CUDNN_STATUS_\w+|CUBLAS_STATUS_\w+|\bXid\b|\bCUDA error\b/i;

/** The words of `err` that name a GPU failure, or undefined when it is not one. */
export function gpuFailure(err: unknown): string | undefined {
  const text = errorMessage(err);
  if (!GPU_ERROR.test(text)) return undefined;
  return (text.split('\n').find((l) => GPU_ERROR.test(l)) ?? text).trim().slice(0, 300);
}

/**
 * The device failed mid-training (out of memory, a CUDA or Xid error): the checkpoint of the last finished epoch is
 * saved, and the user's move is a smaller batch size (src/commands/train.ts points at train.batch-size).
 */
export class GpuFailure extends ConfigurationError {}

/** Trains from `start` to the last epoch; returns the whole history (resumed epochs included). */
export async function fit(
  tf: Tf,
  job: TrainJob,
  h: Head,
  t: ExampleTensors,
  trainCount: number,
  fp: string,
  start: StartPoint,
): Promise<EpochRecord[]> {
  const history = start.history;
  const epochs = job.epochs ?? job.train.epochs;
  const epochSeconds: number[] = [];
  const checkpoint = (epoch: number) => saveCheckpoint(job.checkpoint, fp, epoch, history, h);
  for (let epoch = start.startEpoch + 1; epoch <= epochs; epoch++) {
    const es = Date.now();
    const order = shuffle([...Array(trainCount).keys()], prng(job.train.seed * 1000 + epoch));
    let rec: EpochRecord;
    try {
      const { lossSum, correct } = await trainEpoch(tf, job, h, t, order, async () => {
        await checkpoint(epoch - 1);
        throw new CancelledError();
      });
      rec = {
        epoch,
        loss: lossSum / trainCount,
        accuracy: correct / trainCount,
        ...(await validate(tf, h, t)),
        seconds: (Date.now() - es) / 1000,
      };
    } catch (err) {
      const words = gpuFailure(err);
      if (!words) throw err;
      // The device's state is not trusted after it failed (an Xid error can leave garbage): the checkpoint kept is the
      // one written when the last epoch finished, never weights read back from the failed device.
      const kept =
        epoch > 1
          ? `the checkpoint after epoch ${epoch - 1} is saved in ${job.checkpoint}`
          : 'no epoch had finished, so there is no checkpoint to resume from';
      throw new GpuFailure(
        `training failed on the device during epoch ${epoch}: ${words}; ${kept}. Lower train.batch-size (now ${job.train.batchSize}, e.g. ${Math.max(1, Math.floor(job.train.batchSize / 2))}) and run again${epoch > 1 ? ' with --resume to continue' : ''}`,
      );
    }
    history.push(rec);
    epochSeconds.push(rec.seconds);
    await checkpoint(epoch);
    job.log.info(epochLine(rec, epochs, eta(epochSeconds, epochs - epoch)));
  }
  return history;
}
