/**
 * A file loader and saver for tfjs models that needs no native TensorFlow (tfjs-node's file:// handler is not
 * there on the wasm and cpu backends): `fileLoader(dir)` for tf.loadLayersModel / tf.loadGraphModel, and
 * `fileSaver(dir)` for model.save. The saver writes model.json and one weights.bin.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs';

interface ModelJsonFile {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
  trainingConfig?: io.TrainingConfig;
}

export function fileLoader(dir: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const j = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelJsonFile;
      const buffers = j.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(dir, p))));
      const all = Buffer.concat(buffers);
      return {
        modelTopology: j.modelTopology as io.ModelArtifacts['modelTopology'],
        weightSpecs: j.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: j.format,
        generatedBy: j.generatedBy,
        convertedBy: j.convertedBy,
        signature: j.signature as io.ModelArtifacts['signature'],
        userDefinedMetadata: j.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
        modelInitializer: j.modelInitializer as io.ModelArtifacts['modelInitializer'],
        trainingConfig: j.trainingConfig,
      };
    },
  };
}

export function fileSaver(dir: string): io.IOHandler {
  return {
    async save(a: io.ModelArtifacts): Promise<io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const data =
        a.weightData === undefined
          ? Buffer.alloc(0)
          : Buffer.concat((Array.isArray(a.weightData) ? a.weightData : [a.weightData]).map((b) => Buffer.from(b)));
      writeFileSync(path.join(dir, 'weights.bin'), data);
      const json: ModelJsonFile = {
        modelTopology: a.modelTopology,
        format: a.format ?? 'layers-model',
        generatedBy: a.generatedBy,
        convertedBy: 'tfaml',
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
        ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
      };
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.length } };
    },
  };
}
