import { format, type VerbSpec } from './spec.js';

export const DOCTOR: VerbSpec = {
  name: 'doctor',
  summary:
    'say what training would run on and why: the GPUs, the CUDA 11 libraries tfjs-node-gpu needs, the native packages',
  inputs: {
    format: format('text, or json: one document with the facts and the verdict.'),
    dir: {
      type: 'string',
      default: '.',
      description: 'The project folder whose node_modules the native tfjs packages are loaded from.',
      root: {
        description:
          'init — the repository folder to set up (tfaml.yml is written there); doctor — the folder whose node_modules the native tfjs packages are loaded from.',
      },
    },
  },
  outputs: {
    backend: { description: 'The backend `auto` would choose: tensorflow-gpu, tensorflow or wasm.' },
    gpu: { description: 'gpu (the GPU is used), none (no GPU) or unusable (a GPU training cannot use).' },
  },
};
