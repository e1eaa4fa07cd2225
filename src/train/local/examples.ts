/**
 * The images as training examples: their features through the frozen base (from the cache when the model, data,
 * preprocessing and cut are unchanged), unreadable images skipped up to a limit, the split into training and
 * validation, and the tensors the head is fitted and evaluated on.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { ConfigurationError } from '../../core/errors.js';
import type { BackendName, Tf } from './backend.js';
import type { Base } from './base.js';
import { computeFeatures, type FeatureSet, type Preprocessing } from './features.js';
import type { Dataset } from './images.js';
import { splitExamples, type Example } from './split.js';
import type { TrainJob } from './trainer.js';

/** Above this fraction of unreadable images the run fails rather than train on what is left. */
const MAX_BAD_FRACTION = 0.1;

/** The features of every image, extracted on the inference backend or read from the cache. */
export async function extractFeatures(
  tf: Tf,
  job: TrainJob,
  base: Base,
  dataset: Dataset,
  backend: BackendName,
): Promise<FeatureSet> {
  const pre: Preprocessing = { size: [base.inputShape[0], base.inputShape[1]], scale: '0..1', resize: 'bilinear' };
  const fset = await computeFeatures({
    tf,
    key: { modelHash: job.modelHash, dataHash: job.dataHash, preprocessing: pre, cut: base.cut },
    cacheDir: job.featureCacheDir,
    dataDir: job.dataDir,
    files: dataset.examples.map((e) => e.file),
    batchSize: Math.max(1, Math.min(job.train.batchSize, 32)),
    extract: base.extract,
    log: job.log,
    cancelled: job.cancelled,
  });
  if (fset.fromCache)
    job.log.info(`features: ${fset.files.length} images from the cache (${fset.shape.join('×')} each)`);
  else
    job.log.info(
      `features: ${fset.files.length} images in ${fset.seconds.toFixed(1)} s, ${fset.imagesPerSecond.toFixed(1)} images/s on ${backend}`,
    );
  return fset;
}

export interface Examples {
  train: Example[];
  validation: Example[];
  /** What the metrics are measured on: the validation images, or the training images when there are none. */
  evaluation: Example[];
  /** The features of some examples as one flat array, in their order. */
  rows: (list: Example[]) => Float32Array;
}

/** Skips unreadable images (failing above MAX_BAD_FRACTION), requires every class, and splits the rest. */
export function splitUsable(job: TrainJob, dataset: Dataset, fset: FeatureSet): Examples {
  const total = dataset.examples.length;
  if (fset.bad.length > 0) {
    const list = fset.bad.map((b) => `${job.dataDisplay}/${b.file} (${b.reason})`).join(', ');
    if (fset.bad.length / total > MAX_BAD_FRACTION) {
      throw new ConfigurationError(
        `${fset.bad.length} of ${total} images cannot be decoded, more than ${MAX_BAD_FRACTION * 100}%: ${list}; fix or remove them`,
        { file: job.dataDisplay },
      );
    }
    job.log.warning(`skipped ${fset.bad.length} of ${total} images that cannot be decoded: ${list}`);
  }
  const row = new Map(fset.files.map((f, i) => [f, i]));
  const usable = dataset.examples.filter((e) => row.has(e.file));
  const classes = dataset.classes;
  for (let c = 0; c < classes.length; c++) {
    if (!usable.some((e) => e.label === c))
      throw new ConfigurationError(`class ${classes[c]} has no readable images in ${job.dataDisplay}`, {
        file: `${job.dataDisplay}/${classes[c]}`,
      });
  }
  const split = splitExamples(usable, job.train.validationSplit, job.train.seed);
  const dim = fset.shape.reduce((a, b) => a * b, 1);
  const rows = (list: Example[]) => {
    const out = new Float32Array(list.length * dim);
    list.forEach((e, i) => out.set(fset.data.subarray(row.get(e.file)! * dim, (row.get(e.file)! + 1) * dim), i * dim));
    return out;
  };
  const evaluation = split.validation.length > 0 ? split.validation : split.train;
  return { train: split.train, validation: split.validation, evaluation, rows };
}

export interface ExampleTensors {
  xTrain: Tensor;
  yTrain: Tensor;
  xVal: Tensor;
  yVal: Tensor;
}

/** Features and one-hot labels as tensors, on the backend that is current (the training one). */
export function exampleTensors(tf: Tf, ex: Examples, shape: number[], classes: number, job: TrainJob): ExampleTensors {
  const labels = (list: Example[]) =>
    tf
      .oneHot(
        tf.tensor1d(
          list.map((e) => e.label),
          'int32',
        ),
        classes,
      )
      .toFloat();
  const xTrain = tf.tensor(ex.rows(ex.train), [ex.train.length, ...shape]);
  const yTrain = labels(ex.train);
  const xVal = tf.tensor(ex.rows(ex.evaluation), [ex.evaluation.length, ...shape]);
  const yVal = labels(ex.evaluation);
  if (ex.validation.length === 0)
    job.log.warning('validation-split gives no validation images; metrics are measured on the training images');
  return { xTrain, yTrain, xVal, yVal };
}
