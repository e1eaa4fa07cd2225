/**
 * The parts of a local run's fingerprint (src/train/fingerprint.ts), gathered before anything trains: the data and
 * hub model are already hashed by then (src/train/local/inputs.ts, the hub loader), the environment is hashed as
 * tfaml.lock hashes it, and the backend is the one the trainer would pick.
 */
import type { Project } from '../../config/project.js';
import type { ModelConfig, TrainConfig } from '../../config/types.js';
import { environmentContentHash } from '../../lock/resolve.js';
import type { FingerprintParts } from '../fingerprint.js';
import { predictBackend } from './backend.js';

/** A local run's code is tfaml's own trainer, identified by tfaml's major version (FingerprintParts.tfamlMajor). */
export const LOCAL_TRAINER_CODE = 'tfaml-local-trainer';

export function trainingSettings(m: ModelConfig, t: TrainConfig, backendFamily: string): FingerprintParts['settings'] {
  return {
    epochs: t.epochs,
    batchSize: t.batchSize,
    learningRate: t.learningRate,
    validationSplit: t.validationSplit,
    seed: t.seed,
    fineTune: m.fineTuneText ?? 'none',
    inputShape: m.inputShape,
    format: m.format,
    featureLayer: m.featureLayer ?? null,
    backendFamily,
  };
}

/** The environment a run is recorded under (`name:version`), and its content hash when a listed file defines it. */
export async function environmentPart(
  project: Project,
  ref: string,
  cacheDir: string,
): Promise<FingerprintParts['environment']> {
  const env = project.environments.find((e) => `${e.name}:${e.version ?? ''}` === ref);
  return { ref, hash: env ? await environmentContentHash(project.config.root, env, { cacheDir }) : null };
}

export interface LocalFingerprintInputs {
  project: Project;
  model: ModelConfig;
  train: TrainConfig;
  /** recordedEnvironment's `name:version`. */
  environment: string;
  data: { name: string; version?: string; hash: string };
  hub: { hash: string };
  /** The backend input (auto or a name). */
  backend: string;
  cacheDir: string;
  tfamlMajor: number;
}

/** The parts of a local run's fingerprint; `backendFamily` overrides the predicted backend (the one that ran). */
export async function localFingerprintParts(
  i: LocalFingerprintInputs,
  backendFamily?: string,
): Promise<FingerprintParts> {
  const family = backendFamily ?? predictBackend(i.backend, i.model.fineTune?.mode === 'top');
  return {
    code: LOCAL_TRAINER_CODE,
    environment: await environmentPart(i.project, i.environment, i.cacheDir),
    data: { ref: `${i.data.name}:${i.data.version ?? ''}`, hash: i.data.hash },
    hub: { ref: i.model.hub, hash: i.hub.hash },
    settings: trainingSettings(i.model, i.train, family),
    tfamlMajor: i.tfamlMajor,
  };
}
