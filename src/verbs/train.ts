import {
  AUTH_MODES,
  AUTH_ROOT,
  CONFIG,
  DECISION_ROOT,
  FORCE_ROOT,
  OUT_ROOT,
  REASON_ROOT,
  format,
  type VerbSpec,
} from './spec.js';

export const TRAIN: VerbSpec = {
  name: 'train',
  summary: 'train the pinned hub model on the locked data (frozen or top-N), write metrics and lineage, register it',
  inputs: {
    config: CONFIG,
    format: format('text or json.'),
    out: {
      type: 'string',
      description:
        'Folder for the model, metrics.json and run.json (must not exist or be empty); default .tfaml/runs/<run id>.',
      root: OUT_ROOT,
    },
    resume: {
      type: 'boolean',
      default: false,
      description: 'Continue from the last checkpoint of the same configuration (a re-run of a cancelled job).',
      root: { description: 'train — continue from the last checkpoint of the same configuration.' },
    },
    backend: {
      type: 'choice',
      // auto, then the trainer's BACKENDS: test/verbs/spec.test.ts holds them to what src/commands/train.ts accepts.
      choices: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
      default: 'auto',
      description: 'auto (tensorflow-gpu, tensorflow, wasm, cpu, the first that starts) or one of them.',
      // Without a declared default the command falls back to env TFAML_BACKEND (src/commands/train.ts).
      root: {
        description:
          'train — auto (tensorflow-gpu, tensorflow, wasm, cpu, the first that starts) or one of them; also env TFAML_BACKEND.',
        default: null,
      },
    },
    'hub-url': {
      type: 'string',
      description:
        'Replaces https://tfhub.dev and https://www.kaggle.com in hub handles (a mirror, a sovereign cloud); also env TFAML_HUB_URL.',
      root: {
        description:
          'train — replaces https://tfhub.dev and https://www.kaggle.com in hub handles (a mirror); also env TFAML_HUB_URL.',
      },
    },
    auth: {
      type: 'choice',
      choices: AUTH_MODES,
      default: 'auto',
      description:
        'Azure credential when train.target is azure — auto (client secret, then OIDC, then an earlier azure/login), oidc, client-secret, managed-identity or azure-login.',
      root: AUTH_ROOT,
    },
    cancel: {
      type: 'boolean',
      default: false,
      description: "Cancel this workflow run's Azure ML job instead of training (used by the if cancelled() step).",
      root: { description: "train — cancel this workflow run's Azure ML job instead of training." },
    },
    target: {
      type: 'choice',
      choices: ['local', 'azure'],
      description: 'Override train.target for this run (local or azure).',
    },
    'data-version': {
      type: 'string',
      description:
        'The data version to train on; must equal the version the repository pins (refused otherwise, with where to bump it).',
      root: { description: 'train — the data version to train on; must equal the version the repository pins.' },
    },
    reason: {
      type: 'string',
      description: 'Why this run happened; recorded on the model as the tfaml.reason tag.',
      root: REASON_ROOT,
    },
    force: {
      type: 'boolean',
      default: false,
      description:
        'Train even when the experiment registry already has a model with this training fingerprint (otherwise that model is reused).',
      root: FORCE_ROOT,
    },
    gpu: {
      type: 'choice',
      choices: ['auto', 'true', 'false'],
      default: 'auto',
      actionOnly: true,
      description:
        'auto (install tfjs-node-gpu, pinned by actions/train/gpu/package-lock.json, when nvidia-smi finds a GPU), true or false; anything else fails the step.',
    },
  },
  outputs: {
    'model-version': {
      description: 'The version registered in the experiment registry (the reused one when decision is reused).',
    },
    decision: {
      description:
        'trained, or reused when a model with the same training fingerprint was already registered (nothing trained).',
      root: DECISION_ROOT,
    },
    fingerprint: {
      description: 'The training fingerprint (tag tfaml.fingerprint) of the model.',
      root: 'train — the training fingerprint (tag tfaml.fingerprint) of the model.',
    },
    'metrics-json': {
      description:
        'The metrics (accuracy, loss, macro_f1, latency_p50_ms, latency_p95_ms, latency_p50_iqr_ms, latency_p95_iqr_ms, model_bytes) as JSON.',
    },
  },
  events: ['pull_request', 'push', 'workflow_dispatch', 'schedule', 'repository_dispatch'],
  action: {
    description:
      'Train the pinned TF Hub model on the locked data on this runner (tfjs-node-gpu on a GPU runner, else wasm or cpu), write metrics and lineage, register the model in the experiment registry.',
  },
};
