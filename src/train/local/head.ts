/**
 * The classifier trained on the features: a softmax layer (and for `top-N` the base's top layers under it), with one
 * Adam optimiser for the head and a slower one for the unfrozen layers of the pre-trained base.
 */
import type { LayersModel, layers, Optimizer, SymbolicTensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import type { Base } from './base.js';
import type { TrainJob } from './trainer.js';

/** top-N layers learn at learning-rate × this (a pre-trained base moves slower than a new head). */
const FINE_TUNE_LR_FACTOR = 0.1;

export interface Head {
  /** The softmax layer, applied again to the base's feature output when the full model is saved. */
  dense: layers.Layer;
  /** Features in, class probabilities out. */
  head: LayersModel;
  headVars: Variable[];
  topVars: Variable[];
  headOpt: Optimizer;
  topOpt: Optimizer;
  learningRates: { head: number; top: number };
}

export function buildHead(tf: Tf, job: TrainJob, base: Base, featureShape: number[], classes: number): Head {
  const dense = tf.layers.dense({
    units: classes,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: job.train.seed }),
    name: 'tfaml_head',
  });
  const input = tf.input({ shape: featureShape });
  let x: SymbolicTensor = input;
  for (const l of base.topLayers) x = l.apply(x) as SymbolicTensor;
  const head = tf.model({ inputs: input, outputs: dense.apply(x) as SymbolicTensor });
  const headVars = dense.trainableWeights.map((w) => w.read() as Variable);
  const topVars = base.topLayers.flatMap((l) => l.trainableWeights.map((w) => w.read() as Variable));
  const lr = job.train.learningRate;
  const lrTop = lr * FINE_TUNE_LR_FACTOR;
  return {
    dense,
    head,
    headVars,
    topVars,
    headOpt: tf.train.adam(lr),
    topOpt: tf.train.adam(lrTop),
    learningRates: { head: lr, top: lrTop },
  };
}
