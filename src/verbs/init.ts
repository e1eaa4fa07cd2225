import { FORCE_ROOT, format, type VerbSpec } from './spec.js';

export const INIT: VerbSpec = {
  name: 'init',
  summary:
    'set tfaml up in an existing repository: find its Azure ML YAML, write tfaml.yml, .gitignore and the workflows, then lock and validate',
  inputs: {
    format: format('text, or json: one document with what was found and written, and the lock and validate reports.'),
    dir: {
      type: 'string',
      default: '.',
      description: 'The repository folder to set up (tfaml.yml is written there).',
      root: {
        description:
          'init — the repository folder to set up (tfaml.yml is written there); doctor — the folder whose node_modules the native tfjs packages are loaded from.',
      },
    },
    branch: {
      type: 'string',
      description:
        "The branch production is promoted from and the workflows run on; default the repository's default branch (origin/HEAD), else the current one, else main.",
    },
    force: {
      type: 'boolean',
      default: false,
      description: 'Write tfaml.yml and the workflows even where they exist (init changes nothing without it).',
      root: FORCE_ROOT,
    },
  },
  outputs: {
    config: { description: 'The tfaml.yml written.' },
  },
};
