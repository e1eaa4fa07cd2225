import { CONFIG, format, type VerbSpec } from './spec.js';

export const MODELS: VerbSpec = {
  name: 'models',
  summary: 'list the versions in the experiment (or production) registry with their metrics and lineage',
  inputs: {
    config: CONFIG,
    format: format('text or json.'),
    registry: {
      type: 'choice',
      choices: ['experiment', 'production'],
      default: 'experiment',
      description: 'experiment (default) or production.',
      // The root action has never declared it: the command's own fallback is the default there.
      root: { default: null },
    },
    model: { type: 'string', description: "The model name; default tfaml.yml's model.name." },
  },
  outputs: {
    'models-json': { description: 'The versions (version, createdAt, metrics, location) as JSON.' },
  },
};
