/**
 * The local trainer: the hub model's frozen base (graph or layers, cut at `feature-layer`), features cached per
 * (model, data, preprocessing, cut), a softmax head trained on them, and for `top-N` the last N layers up to the
 * feature layer trained too, with their own learning rate, on a backend that has convolution gradients.
 * A checkpoint after every epoch (atomic); `resume` continues from it; a cancel request writes one and stops.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor, Variable, SymbolicTensor, GraphModel } from '@tensorflow/tfjs';
import { ConfigurationError } from '../../core/errors.js';
import { sha256 } from '../../core/canonical.js';
import { writeFileAtomic } from '../../core/fs.js';
import { CancelledError } from '../../core/errors.js';
import type { ModelConfig, TrainConfig } from '../../config/types.js';
import type { Log } from '../../core/ports.js';
import { backendOrder, selectBackend, type BackendName, type Tf } from './backend.js';
import { computeFeatures, type FeatureSet, type Preprocessing } from './features.js';
import { listDataset } from './images.js';
import { evaluate, percentile, type Evaluation } from './metrics.js';
import { epochLine, eta, type EpochRecord } from './progress.js';
import { prng, shuffle, splitExamples } from './split.js';
import { fileLoader, fileSaver } from './tfjs-io.js';

/** Above this fraction of unreadable images the run fails rather than train on what is left. */
export const MAX_BAD_FRACTION = 0.1;
/** top-N layers learn at learning-rate × this (a pre-trained base moves slower than a new head). */
export const FINE_TUNE_LR_FACTOR = 0.1;

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
  modelBytes: number;
  examples: { train: number; validation: number; bad: { file: string; reason: string }[] };
  features: { fromCache: boolean; seconds: number; imagesPerSecond: number; dim: number[] };
  timings: { extractSeconds: number; trainSeconds: number; totalSeconds: number };
  resumedFrom?: number;
  learningRates: { head: number; fineTune?: number };
}

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

interface Base {
  inputShape: [number, number, number];
  /** images → cached features (the frozen part). */
  extract: (x: Tensor) => Tensor;
  /** features → classifier input. For top-N: the trainable top layers; identity otherwise. */
  topLayers: import('@tensorflow/tfjs').layers.Layer[];
  layers?: LayersModel;
  graph?: GraphModel;
  featureOutput?: SymbolicTensor;
  cut: string;
}

function modelInputShape(m: LayersModel | GraphModel): (number | null)[] {
  const s = (m as LayersModel).inputs?.[0]?.shape ?? (m as GraphModel).inputs?.[0]?.shape ?? [];
  return s.map((d) => (d === -1 ? null : d));
}

async function loadBase(tf: Tf, job: TrainJob): Promise<Base> {
  const m = job.model;
  const json = JSON.parse(readFileSync(path.join(job.modelDir, 'model.json'), 'utf8')) as {
    format?: string;
    modelTopology?: { node?: unknown };
  };
  const isGraph = json.format === 'graph-model' || Array.isArray(json.modelTopology?.node);
  if (isGraph !== (m.format === 'graph')) {
    throw new ConfigurationError(
      `model.format is ${m.format} but ${m.hub} is a ${isGraph ? 'graph' : 'layers'} model; set \`format: ${isGraph ? 'graph' : 'layers'}\``,
      { file: 'tfaml.yml' },
    );
  }
  const fine = m.fineTune ?? { mode: 'none' as const };
  const checkShape = (model: LayersModel | GraphModel) => {
    const s = modelInputShape(model);
    const want = m.inputShape;
    if (s.length === 4 && [1, 2, 3].some((i) => s[i] !== null && s[i] !== want[i - 1])) {
      throw new ConfigurationError(
        `model.input-shape is [${want.join(', ')}] but the model takes [${s
          .slice(1)
          .map((d) => d ?? '?')
          .join(', ')}]; set input-shape to the model's`,
        { file: 'tfaml.yml' },
      );
    }
  };
  if (isGraph) {
    if (fine.mode === 'top')
      throw new ConfigurationError(
        `${m.fineTuneText ?? 'top-N'} needs trainable layers, but ${m.hub} is a graph model (frozen); use fine-tune: none or a layers model`,
        { file: 'tfaml.yml' },
      );
    const graph = await tf.loadGraphModel(fileLoader(job.modelDir));
    checkShape(graph);
    return {
      inputShape: m.inputShape,
      extract: (x) => {
        const y = graph.predict(x) as Tensor;
        return y.reshape([y.shape[0]!, -1]);
      },
      topLayers: [],
      graph,
      cut: 'output',
    };
  }
  const lm = await tf.loadLayersModel(fileLoader(job.modelDir));
  checkShape(lm);
  const names = lm.layers.map((l) => l.name);
  const fi = m.featureLayer ? names.indexOf(m.featureLayer) : -1;
  if (fi < 0) {
    throw new ConfigurationError(
      `model.feature-layer ${JSON.stringify(m.featureLayer ?? '')} is not a layer of ${m.hub}; its last layers are ${names.slice(-8).join(', ')}`,
      { file: 'tfaml.yml' },
    );
  }
  const featureOutput = lm.getLayer(m.featureLayer!).output as SymbolicTensor;
  if (fine.mode === 'none') {
    const ex = tf.model({ inputs: lm.inputs, outputs: featureOutput });
    return {
      inputShape: m.inputShape,
      extract: (x) => ex.predict(x) as Tensor,
      topLayers: [],
      layers: lm,
      featureOutput,
      cut: m.featureLayer!,
    };
  }
  const first = fi - fine.layers + 1;
  if (first < 1)
    throw new ConfigurationError(
      `fine-tune top-${fine.layers} asks for more layers than the ${fi} below ${m.featureLayer}`,
      { file: 'tfaml.yml' },
    );
  const top = lm.layers.slice(first, fi + 1);
  // The cut must be a chain: each unfrozen layer fed only by the one before it (not inside a residual block).
  for (let i = 0; i < top.length; i++) {
    const inbound = top[i]!.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    const expected = lm.layers[first + i - 1]!.name;
    if (inbound.length !== 1 || inbound[0] !== expected) {
      throw new ConfigurationError(
        `fine-tune top-${fine.layers} cuts ${m.hub} inside a branch (${top[i]!.name} takes ${inbound.join(' + ')}); choose N so the unfrozen layers form a chain ending at ${m.featureLayer}`,
        { file: 'tfaml.yml' },
      );
    }
  }
  const bottomOut = top[0]!.input as SymbolicTensor;
  const ex = tf.model({ inputs: lm.inputs, outputs: bottomOut });
  for (const l of lm.layers) l.trainable = false;
  for (const l of top) l.trainable = true;
  return {
    inputShape: m.inputShape,
    extract: (x) => ex.predict(x) as Tensor,
    topLayers: top,
    layers: lm,
    featureOutput,
    cut: lm.layers[first - 1]!.name,
  };
}

/** What must be equal for a checkpoint to be resumed. Epochs may grow. */
export function fingerprint(
  job: Pick<TrainJob, 'model' | 'train' | 'modelHash' | 'dataHash'>,
  classes: string[],
): string {
  const { epochs: _e, expectedHours: _h, ...train } = job.train;
  const { name: _n, ...model } = job.model;
  return sha256(JSON.stringify({ model, train, modelHash: job.modelHash, dataHash: job.dataHash, classes }));
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size;
  return n;
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
  const pre: Preprocessing = { size: [base.inputShape[0], base.inputShape[1]], scale: '0..1', resize: 'bilinear' };

  const fset: FeatureSet = await computeFeatures({
    tf,
    key: { modelHash: job.modelHash, dataHash: job.dataHash, preprocessing: pre, cut: base.cut },
    cacheDir: job.featureCacheDir,
    dataDir: job.dataDir,
    files: dataset.examples.map((e) => e.file),
    batchSize: Math.max(1, Math.min(job.train.batchSize, 32)),
    extract: base.extract,
    log,
    cancelled: job.cancelled,
  });
  if (fset.fromCache) log.info(`features: ${fset.files.length} images from the cache (${fset.shape.join('×')} each)`);
  else
    log.info(
      `features: ${fset.files.length} images in ${fset.seconds.toFixed(1)} s, ${fset.imagesPerSecond.toFixed(1)} images/s on ${inference.name}`,
    );
  const total = dataset.examples.length;
  if (fset.bad.length > 0) {
    const list = fset.bad.map((b) => `${job.dataDisplay}/${b.file} (${b.reason})`).join(', ');
    if (fset.bad.length / total > MAX_BAD_FRACTION) {
      throw new ConfigurationError(
        `${fset.bad.length} of ${total} images cannot be decoded, more than ${MAX_BAD_FRACTION * 100}%: ${list}; fix or remove them`,
        { file: job.dataDisplay },
      );
    }
    log.warning(`skipped ${fset.bad.length} of ${total} images that cannot be decoded: ${list}`);
  }
  const row = new Map(fset.files.map((f, i) => [f, i]));
  const usable = dataset.examples.filter((e) => row.has(e.file));
  for (let c = 0; c < classes.length; c++) {
    if (!usable.some((e) => e.label === c))
      throw new ConfigurationError(`class ${classes[c]} has no readable images in ${job.dataDisplay}`, {
        file: `${job.dataDisplay}/${classes[c]}`,
      });
  }
  const split = splitExamples(usable, job.train.validationSplit, job.train.seed);
  const dim = fset.shape.reduce((a, b) => a * b, 1);
  const rows = (list: typeof usable) => {
    const out = new Float32Array(list.length * dim);
    list.forEach((e, i) => out.set(fset.data.subarray(row.get(e.file)! * dim, (row.get(e.file)! + 1) * dim), i * dim));
    return out;
  };
  const inferenceName = inference.name;

  // Training backend: top-N needs conv gradients; the features are plain arrays, so switching is free.
  const trainer = fine.mode === 'top' ? await selectBackend(job.backend, true, log) : inference;
  const k = classes.length;
  const xTrain = tf.tensor(rows(split.train), [split.train.length, ...fset.shape]);
  const yTrain = tf
    .oneHot(
      tf.tensor1d(
        split.train.map((e) => e.label),
        'int32',
      ),
      k,
    )
    .toFloat();
  const evalSet = split.validation.length > 0 ? split.validation : split.train;
  const xVal = tf.tensor(rows(evalSet), [evalSet.length, ...fset.shape]);
  const yVal = tf
    .oneHot(
      tf.tensor1d(
        evalSet.map((e) => e.label),
        'int32',
      ),
      k,
    )
    .toFloat();
  if (split.validation.length === 0)
    log.warning('validation-split gives no validation images; metrics are measured on the training images');

  const dense = tf.layers.dense({
    units: k,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: job.train.seed }),
    name: 'tfaml_head',
  });
  const input = tf.input({ shape: fset.shape });
  let x: SymbolicTensor = input;
  for (const l of base.topLayers) x = l.apply(x) as SymbolicTensor;
  const head = tf.model({ inputs: input, outputs: dense.apply(x) as SymbolicTensor });
  const headVars = dense.trainableWeights.map((w) => w.read() as Variable);
  const topVars = base.topLayers.flatMap((l) => l.trainableWeights.map((w) => w.read() as Variable));
  const lr = job.train.learningRate;
  const lrTop = lr * FINE_TUNE_LR_FACTOR;
  const headOpt = tf.train.adam(lr);
  const topOpt = tf.train.adam(lrTop);

  const fp = fingerprint(job, classes);
  let history: EpochRecord[] = [];
  let startEpoch = 0;
  let resumedFrom: number | undefined;
  if (job.resume) {
    if (!existsSync(job.checkpoint))
      throw new ConfigurationError(
        `--resume: there is no checkpoint at ${job.checkpoint}; run without --resume to start`,
      );
    const cp = JSON.parse(readFileSync(job.checkpoint, 'utf8')) as Checkpoint;
    if (cp.tfaml !== 'checkpoint' || cp.fingerprint !== fp) {
      throw new ConfigurationError(
        `--resume: the checkpoint at ${job.checkpoint} is from a different configuration (model, data, classes or training settings changed); run without --resume to start over`,
      );
    }
    const ws = head.weights;
    if (cp.weights.length !== ws.length)
      throw new ConfigurationError(
        `--resume: the checkpoint at ${job.checkpoint} does not fit this model; run without --resume`,
      );
    const decode = (w: EncodedTensor) => {
      const b = Buffer.from(w.data, 'base64');
      const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      return w.dtype === 'int32'
        ? tf.tensor(new Int32Array(bytes), w.shape, 'int32')
        : tf.tensor(new Float32Array(bytes), w.shape);
    };
    head.setWeights(cp.weights.map(decode));
    if (cp.optimizers) {
      await headOpt.setWeights(cp.optimizers.head.map((w) => ({ name: w.name, tensor: decode(w) })));
      await topOpt.setWeights(cp.optimizers.top.map((w) => ({ name: w.name, tensor: decode(w) })));
    }
    history = cp.history;
    startEpoch = cp.epoch;
    resumedFrom = cp.epoch;
    log.info(`resumed from the checkpoint after epoch ${cp.epoch}`);
  }
  const saveCheckpoint = async (epoch: number) => {
    const weights = head.weights.map((w) => encode(w.read()));
    const opt = async (o: typeof headOpt) => (await o.getWeights()).map((w) => ({ name: w.name, ...encode(w.tensor) }));
    const optimizers = { head: await opt(headOpt), top: await opt(topOpt) };
    mkdirSync(path.dirname(job.checkpoint), { recursive: true });
    const cp: Checkpoint = { tfaml: 'checkpoint', version: 1, fingerprint: fp, epoch, history, weights, optimizers };
    writeFileAtomic(job.checkpoint, JSON.stringify(cp));
  };

  const epochs = job.epochs ?? job.train.epochs;
  const bs = job.train.batchSize;
  const tTrain = Date.now();
  const epochSeconds: number[] = [];
  const lossOf = (xs: Tensor, ys: Tensor) => {
    const p = head.apply(xs, { training: false }) as Tensor;
    return { p, loss: tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) };
  };
  for (let epoch = startEpoch + 1; epoch <= epochs; epoch++) {
    const es = Date.now();
    const order = shuffle([...Array(split.train.length).keys()], prng(job.train.seed * 1000 + epoch));
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < order.length; i += bs) {
      // Let signal handlers run: tensor reads resolve as microtasks, which would otherwise starve them.
      await new Promise((r) => setImmediate(r));
      if (job.cancelled?.()) {
        await saveCheckpoint(epoch - 1);
        throw new CancelledError();
      }
      const idx = tf.tensor1d(order.slice(i, i + bs), 'int32');
      const xb = tf.gather(xTrain, idx);
      const yb = tf.gather(yTrain, idx);
      let batchPred: Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const { p, loss } = lossOf(xb, yb);
        batchPred = tf.keep(p);
        return loss as import('@tensorflow/tfjs').Scalar;
      }, [...headVars, ...topVars]);
      headOpt.applyGradients(headVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      if (topVars.length) topOpt.applyGradients(topVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      const n = idx.shape[0];
      lossSum += (await value.data())[0]! * n;
      correct += (
        await tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(batchPred!, -1), tf.argMax(yb, -1)), 'int32'))).data()
      )[0]!;
      tf.dispose([idx, xb, yb, value, batchPred!, ...Object.values(grads)]);
    }
    const [vl, va] = tf.tidy(() => {
      const { p, loss } = lossOf(xVal, yVal);
      return [loss, tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(yVal, -1)), 'float32'))];
    });
    const rec: EpochRecord = {
      epoch,
      loss: lossSum / split.train.length,
      accuracy: correct / split.train.length,
      valLoss: (await vl!.data())[0]!,
      valAccuracy: (await va!.data())[0]!,
      seconds: (Date.now() - es) / 1000,
    };
    tf.dispose([vl!, va!]);
    history.push(rec);
    epochSeconds.push(rec.seconds);
    await saveCheckpoint(epoch);
    log.info(epochLine(rec, epochs, eta(epochSeconds, epochs - epoch)));
  }
  const trainSeconds = (Date.now() - tTrain) / 1000;

  const probs = head.predict(xVal) as Tensor;
  const predicted = Array.from(await tf.argMax(probs, -1).data());
  const evaluation = evaluate(
    evalSet.map((e) => e.label),
    predicted,
    classes,
  );
  const loss = history.length ? history[history.length - 1]!.valLoss : NaN;
  tf.dispose([xTrain, yTrain, xVal, yVal, probs]);

  // The model as users load it. Layers base: one model, image in, class probabilities out. Graph base: the head
  // (features in) in model/, the hub's graph model beside it in base/.
  if (trainer.name !== inferenceName) await selectBackend(inferenceName, false);
  mkdirSync(job.outDir, { recursive: true });
  let predict: (x: Tensor) => Tensor;
  if (base.layers) {
    const full = tf.model({
      inputs: base.layers.inputs,
      outputs: dense.apply(base.featureOutput!) as SymbolicTensor,
      name: 'tfaml_classifier',
    });
    await full.save(fileSaver(path.join(job.outDir, 'model')));
    predict = (x) => full.predict(x) as Tensor;
  } else {
    await head.save(fileSaver(path.join(job.outDir, 'model')));
    const { cpSync } = await import('node:fs');
    cpSync(job.modelDir, path.join(job.outDir, 'base'), { recursive: true });
    predict = (x) => head.predict(base.extract(x)) as Tensor;
  }
  const modelBytes = dirBytes(job.outDir);

  // Single-image latency on the inference backend: warm up, then up to 20 runs within ~3 s.
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

  return {
    classes,
    evaluation,
    loss,
    history,
    backend: trainer.name,
    inferenceBackend: inferenceName,
    latencyP50Ms: percentile(samples, 50),
    latencyP95Ms: percentile(samples, 95),
    modelBytes,
    examples: { train: split.train.length, validation: split.validation.length, bad: fset.bad },
    features: {
      fromCache: fset.fromCache,
      seconds: fset.seconds,
      imagesPerSecond: fset.imagesPerSecond,
      dim: fset.shape,
    },
    timings: { extractSeconds: fset.seconds, trainSeconds, totalSeconds: (Date.now() - t0) / 1000 },
    resumedFrom,
    learningRates: { head: lr, ...(fine.mode === 'top' ? { fineTune: lrTop } : {}) },
  };
}
