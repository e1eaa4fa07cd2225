/**
 * The hub model's frozen base: a graph model whole, or a layers model cut at `feature-layer`, and for `top-N` the
 * last N layers below the cut made trainable. Refuses a format, input shape or cut that does not fit the model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphModel, LayersModel, layers, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { ConfigurationError } from '../../core/errors.js';
import type { Tf } from './backend.js';
import type { TrainJob } from './trainer.js';
import { fileLoader } from './tfjs-io.js';

export interface Base {
  inputShape: [number, number, number];
  /** images → cached features (the frozen part). */
  extract: (x: Tensor) => Tensor;
  /** features → classifier input. For top-N: the trainable top layers; identity otherwise. */
  topLayers: layers.Layer[];
  layers?: LayersModel;
  graph?: GraphModel;
  featureOutput?: SymbolicTensor;
  cut: string;
}

function modelInputShape(m: LayersModel | GraphModel): (number | null)[] {
  const s = (m as LayersModel).inputs?.[0]?.shape ?? (m as GraphModel).inputs?.[0]?.shape ?? [];
  return s.map((d) => (d === -1 ? null : d));
}

export async function loadBase(tf: Tf, job: Pick<TrainJob, 'model' | 'modelDir'>): Promise<Base> {
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
