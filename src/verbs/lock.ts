import { CONFIG, FORCE_ROOT, format, type VerbSpec } from './spec.js';

export const LOCK: VerbSpec = {
  name: 'lock',
  summary: 'write tfaml.lock: the content hash of every environment, data asset and hub model',
  inputs: {
    config: CONFIG,
    format: format('text or json.'),
    force: {
      type: 'boolean',
      default: false,
      description: 'Overwrite locked versions whose content changed (only for a version that never left the branch).',
      root: FORCE_ROOT,
    },
  },
  outputs: {
    lockfile: { description: 'The lockfile written.' },
    changed: { description: 'Whether tfaml.lock changed.' },
  },
};
