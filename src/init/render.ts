/**
 * The tfaml.yml `tfaml init` writes: every Azure ML file it found, listed with a stage, the owners CODEOWNERS gives,
 * a model section to fill in, gates, the embedded registries and a budget — commented, so a team can read it once
 * and know what to change. Pure.
 */
import type { FoundAsset } from './discover.js';

export interface InitPlan {
  project: string;
  owners: string[];
  ownersFrom?: string;
  assets: FoundAsset[];
  branch: string;
}

const KINDS: [FoundAsset['kind'], string, boolean][] = [
  ['environments', 'Environments (docker image or build, conda file): versions are immutable once locked.', true],
  ['data', 'Data assets; add `local: <folder>` where a copy of the data lives in the repository.', true],
  ['compute', 'Compute clusters: ephemeral (min_instances 0, a short idle_time_before_scale_down).', false],
  ['jobs', 'Command and sweep jobs.', true],
  ['endpoints', 'Online deployments: they bill every hour they exist.', false],
];

/** A project name the schema accepts, from the repository folder's name. */
export function projectName(folder: string): string {
  const n = folder.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return n || 'ml-project';
}

const yamlString = (s: string) =>
  /^[\w./@-]+$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) ? s : JSON.stringify(s);

export function renderConfig(p: InitPlan): string {
  const out: string[] = [
    '# tfaml: what this repository governs on Azure ML, and the bar a model must clear to reach production.',
    "# Written by `tfaml init`; every key is explained in tfaml's docs/tfaml-yml.md. Run `npx tfaml validate` after a change.",
    'version: 1',
    `project: ${yamlString(p.project)}`,
    p.owners.length
      ? `owners: [${p.owners.map((o) => JSON.stringify(o)).join(', ')}] # from ${p.ownersFrom ?? 'CODEOWNERS'}`
      : 'owners: [] # add the GitHub team that owns these models, e.g. ["@acme/ml-platform"] (owner/missing until then)',
  ];
  for (const [kind, note, staged] of KINDS) {
    const list = p.assets.filter((a) => a.kind === kind).sort((a, b) => (a.path < b.path ? -1 : 1));
    if (list.length === 0) continue;
    out.push('', `# ${note}`, `${kind}:`);
    for (const a of list) {
      out.push(`  - path: ${yamlString(a.path)}${a.name ? ` # ${a.name}` : ''}`);
      if (staged) out.push('    stage: experimental # production once a production job relies on it');
    }
  }
  if (p.assets.length === 0)
    out.push(
      '',
      '# No Azure ML CLI v2 YAML was found. List your environment, data, compute, job and endpoint files here, e.g.',
      '# environments:',
      '#   - path: azureml/environments/tf-gpu.yml',
    );
  out.push(
    '',
    '# The TF Hub model your jobs fine-tune: fill it in, then run `npx tfaml lock` to pin its files.',
    '# model:',
    '#   name: my-classifier',
    '#   hub: https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1',
    '#   format: graph',
    '#   input-shape: [224, 224, 3]',
    '#   fine-tune: none',
    '',
    '# What a candidate must reach (min/max) and may lose against the production champion (max-drop).',
    'gates:',
    '  - metric: accuracy',
    '    min: 0.7',
    '  - metric: accuracy',
    '    max-drop: 0.02',
    '',
    '# The embedded registries live in .tfaml/. On GitHub-hosted runners they end with the job: point production at',
    '# an Azure ML registry (production: { registry: <name> }) before promoting from CI.',
    'registries:',
    '  experiment: local',
    '  production:',
    '    local: true',
    '',
    'promote:',
    `  branch: ${yamlString(p.branch)}`,
    '',
    '# Prices are Linux pay-as-you-go list prices in this region; budget-usd gates one training run.',
    'cost:',
    '  region: eastus',
    '  budget-usd: 50',
  );
  return out.join('\n') + '\n';
}
