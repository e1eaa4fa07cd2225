/**
 * A GPU that fails mid-training (issue 16, bad input): the error tfjs surfaces (out of memory, a CUDA, cuDNN or Xid
 * error) stops the run with the checkpoint of the last finished epoch kept and a message naming the error and a
 * smaller batch-size; a resume with that smaller batch-size continues from it. The failure is injected through the
 * trainer's per-batch callback into a real tfjs head on the cpu backend.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { selectBackend } from '../../src/train/local/backend.js';
import type { Base } from '../../src/train/local/base.js';
import { fingerprint, resumeFrom } from '../../src/train/local/checkpoint.js';
import { fit, gpuFailure, GpuFailure } from '../../src/train/local/fit.js';
import { buildHead } from '../../src/train/local/head.js';
import type { TrainJob } from '../../src/train/local/trainer.js';
import { tempDir } from '../helpers/project.js';

const OOM =
  'OOM when allocating tensor with shape[64,7,7,1280] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc';

describe('what counts as a GPU failure', () => {
  it.each([
    [OOM, OOM],
    ['ResourceExhaustedError: failed to allocate memory', 'ResourceExhaustedError: failed to allocate memory'],
    [
      'Internal: CUDA runtime implicit initialization on GPU:0 failed. Status: CUDA_ERROR_OUT_OF_MEMORY',
      /CUDA_ERROR_OUT_OF_MEMORY/,
    ],
    ['Could not create cudnn handle: CUDNN_STATUS_INTERNAL_ERROR', /CUDNN_STATUS_INTERNAL_ERROR/],
    ['Blas GEMM launch failed\nCUBLAS_STATUS_EXECUTION_FAILED', 'CUBLAS_STATUS_EXECUTION_FAILED'],
    ['NVRM: Xid (PCI:0000:00:1e): 79, GPU has fallen off the bus', /Xid/],
    ['CUDA error: an illegal memory access was encountered', /illegal memory access/],
  ])('%j is one', (message, words) => {
    const got = gpuFailure(new Error(message));
    if (typeof words === 'string') expect(got).toBe(words);
    else expect(got).toMatch(words);
  });

  it.each([
    'Error when checking input: expected input_1 to have shape [null,1280]',
    'ENOENT: no such file or directory',
    'loss is NaN',
  ])('%j is not', (message) => expect(gpuFailure(new Error(message))).toBeUndefined());
});

async function setup(failOnCall?: number) {
  const { tf } = await selectBackend('cpu', false);
  const dir = tempDir('tfaml-gpu-fail-');
  let calls = 0;
  const job = {
    model: { name: 'm', hub: 'local:m', inputShape: [2, 2, 3] },
    train: { target: 'local', epochs: 3, batchSize: 4, learningRate: 0.05, validationSplit: 0.25, seed: 7 },
    modelHash: 'sha256:m',
    dataHash: 'sha256:d',
    checkpoint: path.join(dir, 'checkpoints', 'm.json'),
    log: { info: () => {}, warning: () => {}, progress: () => {} },
    // The per-batch callback: 8 examples in batches of 4 is two calls an epoch, so call 3 is epoch 2's first batch.
    cancelled: () => {
      calls++;
      if (calls === failOnCall) throw new Error(OOM);
      return false;
    },
  } as unknown as TrainJob;
  const base = { topLayers: [] } as unknown as Base;
  const h = buildHead(tf, job, base, [4], 2);
  const t = {
    xTrain: tf.randomUniform([8, 4], 0, 1, 'float32', 1),
    yTrain: tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2),
    xVal: tf.randomUniform([4, 4], 0, 1, 'float32', 2),
    yVal: tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2),
  };
  const fp = fingerprint(job, ['a', 'b']);
  return { tf, job, h, t, fp, base };
}

describe('a GPU failure mid-training', () => {
  it('out of memory in epoch 2: stops naming the error and a smaller batch-size, the checkpoint after epoch 1 kept', async () => {
    const { job, h, t, fp } = await setup(3);
    const p = fit((await selectBackend('cpu', false)).tf, job, h, t, 8, fp, { history: [], startEpoch: 0 });
    await expect(p).rejects.toThrow(GpuFailure);
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      `training failed on the device during epoch 2: ${OOM}; the checkpoint after epoch 1 is saved in ${job.checkpoint}. Lower train.batch-size (now 4, e.g. 2) and run again with --resume to continue`,
    );
    const cp = JSON.parse(readFileSync(job.checkpoint, 'utf8'));
    expect(cp.epoch).toBe(1);
    expect(cp.history).toHaveLength(1);
  });

  it('the checkpoint resumes with the smaller batch-size and trains to the end', async () => {
    const first = await setup(3);
    await expect(
      fit(first.tf, first.job, first.h, first.t, 8, first.fp, { history: [], startEpoch: 0 }),
    ).rejects.toThrow(GpuFailure);
    const again = await setup();
    const smaller = { ...again.job, checkpoint: first.job.checkpoint, train: { ...again.job.train, batchSize: 2 } };
    const fp = fingerprint(smaller, ['a', 'b']);
    expect(fp).toBe(first.fp);
    const start = await resumeFrom(again.tf, smaller.checkpoint, fp, again.h);
    expect(start.startEpoch).toBe(1);
    const history = await fit(again.tf, smaller, again.h, again.t, 8, fp, start);
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it('in epoch 1 there is no checkpoint to resume: it says so, and to run again without --resume', async () => {
    const { tf, job, h, t, fp } = await setup(1);
    await expect(fit(tf, job, h, t, 8, fp, { history: [], startEpoch: 0 })).rejects.toThrow(
      /during epoch 1: OOM when allocating .*; no epoch had finished, so there is no checkpoint to resume from\. Lower train\.batch-size \(now 4, e\.g\. 2\) and run again$/,
    );
    expect(existsSync(job.checkpoint)).toBe(false);
  });

  it('any other error is passed on as it is', async () => {
    const { tf, job, h, t, fp } = await setup();
    const broken = {
      ...job,
      cancelled: () => {
        throw new TypeError('x is not a function');
      },
    };
    const p = fit(tf, broken, h, t, 8, fp, { history: [], startEpoch: 0 });
    await expect(p).rejects.toThrow(TypeError);
    await expect(p).rejects.not.toThrow(ConfigurationError);
  });
});
