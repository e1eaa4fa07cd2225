/** Loading tfaml.yml: parse with positions, check against the schema, check what a schema cannot, apply defaults. */
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { diskFiles, type ProjectFiles } from './files.js';
import { checkSchema } from './schema.js';
import { containmentProblem, projectRoot } from './paths.js';
import { parseHubHandle } from './hub.js';
import { SourceDoc, type YamlPath } from './source.js';
import {
  DEFAULT_MAX_IDLE_SECONDS,
  type AssetEntry,
  type DataEntry,
  type FineTune,
  type Gate,
  type ProductionRegistry,
  type Stage,
  type TfamlConfig,
  type WorkspaceRef,
} from './types.js';
import { nearest } from '../core/nearest.js';

/* The raw shape after schema validation (kebab-case, everything optional the schema allows to be). */
interface RawAsset {
  path: string;
  stage?: Stage;
  owner?: string;
  local?: string;
}
interface RawWorkspace {
  'subscription-id'?: string;
  'resource-group': string;
  name: string;
}
interface Raw {
  version: 1;
  project: string;
  owners?: string[];
  workspace?: RawWorkspace;
  environments?: RawAsset[];
  data?: RawAsset[];
  compute?: RawAsset[];
  jobs?: RawAsset[];
  endpoints?: RawAsset[];
  model?: {
    name: string;
    hub: string;
    format: 'graph' | 'layers';
    'input-shape': [number, number, number];
    'feature-layer'?: string;
    'fine-tune'?: string;
    loading?: 'baked' | 'dynamic';
    serving?: 'batch' | 'realtime' | 'none';
  };
  train?: {
    target?: 'local' | 'azure';
    job?: string;
    data?: string;
    epochs?: number;
    'batch-size'?: number;
    'learning-rate'?: number;
    'validation-split'?: number;
    seed?: number;
    'expected-hours'?: number;
  };
  gates?: { metric: string; min?: number; max?: number; 'max-drop'?: number; 'max-drop-pct'?: number }[];
  registries?: {
    experiment?: 'local' | 'workspace';
    production?: { local?: true; registry?: string; workspace?: RawWorkspace };
  };
  promote?: { branch?: string };
  cost?: {
    region: string;
    'budget-usd'?: number;
    'max-increase-usd'?: number;
    'override-label'?: string;
    currency?: string;
  };
  suppress?: { rule: string; path?: string; reason: string }[];
  policy?: { 'max-idle-seconds'?: number };
}

function workspace(w: RawWorkspace): WorkspaceRef {
  return { subscriptionId: w['subscription-id'], resourceGroup: w['resource-group'], name: w.name };
}

/** Normalise a path written in tfaml.yml to project-relative, forward slashes, no `./`. */
export function relPath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
}

/**
 * Load and validate tfaml.yml. Throws one ConfigurationError carrying every problem found, each at its
 * file:line:column. `file` is what messages call the config (its path as the user gave it).
 */
export function loadConfig(
  configPath: string,
  opts: { knownRules?: readonly string[]; files?: ProjectFiles } = {},
): TfamlConfig {
  const abs = path.resolve(configPath);
  const root = path.dirname(abs);
  const files = opts.files ?? diskFiles;
  const existsSync = (p: string) => files.exists(p);
  const doc = SourceDoc.read(
    path.basename(abs),
    abs,
    undefined,
    'config file',
    files,
    'run tfaml from the folder that holds tfaml.yml, or pass --config <path> (the config input in an action)',
  );
  if (doc.data === null || doc.data === undefined) {
    throw new ConfigurationError(
      'the file is empty; start from the example in the README (version: 1, project: <name>, owners: [...])',
      { file: doc.file, line: 1, column: 1 },
    );
  }
  // Azure ML files quote their versions ("1"); tfaml.yml written the same way means the same version.
  if (isVersionOneText(doc.data)) doc.data.version = 1;
  checkSchema(doc);
  const raw = doc.data as Raw;
  const errors: ConfigurationError[] = [];
  // Paths stay inside the project (src/config/paths.ts). Links are checked only in the working tree: a base ref's
  // files are read from git, where no link is followed.
  const onDisk = opts.files === undefined;
  const boundary = onDisk ? projectRoot(root) : root;
  const contain = (abs: string, what: string, written: string, at: YamlPath, o: { noLink?: boolean } = {}) =>
    containmentProblem(boundary, abs, { what, written, at: doc.locate(at), lexical: !onDisk, ...o });
  if (onDisk) {
    const cache = contain(path.join(root, '.tfaml'), 'the cache folder', '.tfaml', [], { noLink: true });
    if (cache) errors.push(cache);
  }

  const assets = (list: RawAsset[] | undefined, key: string): AssetEntry[] =>
    (list ?? []).map((a, index) => {
      const rel = relPath(a.path);
      const outside = contain(path.resolve(root, a.path), `${key}[${index}].path`, a.path, [key, index, 'path']);
      if (outside) {
        errors.push(outside);
      } else if (!existsSync(path.join(root, rel))) {
        errors.push(
          new ConfigurationError(
            `${key}[${index}].path: ${rel} does not exist; fix the path (it resolves against the folder of tfaml.yml)`,
            doc.locate([key, index, 'path']),
          ),
        );
      }
      const entry: DataEntry = { path: rel, stage: a.stage ?? 'experimental', owner: a.owner, index };
      if (a.local !== undefined) {
        entry.local = relPath(a.local);
        const outsideLocal = contain(
          path.resolve(root, a.local),
          `${key}[${index}].local`,
          a.local,
          [key, index, 'local'],
          {
            noLink: true,
          },
        );
        if (outsideLocal) {
          errors.push(outsideLocal);
        } else if (entry.local === '.' || '.tfaml/'.startsWith(`${entry.local}/`)) {
          errors.push(
            new ConfigurationError(
              `${key}[${index}].local is the project folder itself, which holds tfaml's own cache (.tfaml/); point it at the data's own folder, e.g. data/flowers`,
              doc.locate([key, index, 'local']),
            ),
          );
        } else if (!existsSync(path.join(root, entry.local))) {
          errors.push(
            new ConfigurationError(
              `${key}[${index}].local: ${entry.local} does not exist; fix the path or remove \`local\``,
              doc.locate([key, index, 'local']),
            ),
          );
        }
      }
      return entry;
    });

  const environments = assets(raw.environments, 'environments');
  const data = assets(raw.data, 'data');
  const compute = assets(raw.compute, 'compute');
  const jobs = assets(raw.jobs, 'jobs');
  const endpoints = assets(raw.endpoints, 'endpoints');

  let model: TfamlConfig['model'];
  if (raw.model) {
    const ft = raw.model['fine-tune'];
    let fineTune: FineTune | undefined;
    if (ft === 'none') fineTune = { mode: 'none' };
    else if (ft) fineTune = { mode: 'top', layers: Number(ft.slice(4)) };
    const hub = parseHubHandle(raw.model.hub);
    if (hub.kind === 'local') {
      const outside = contain(path.resolve(root, hub.path), 'model.hub', raw.model.hub, ['model', 'hub']);
      if (outside) errors.push(outside);
    }
    model = {
      name: raw.model.name,
      hub: raw.model.hub,
      format: raw.model.format,
      inputShape: raw.model['input-shape'],
      featureLayer: raw.model['feature-layer'],
      fineTune,
      fineTuneText: ft,
      loading: raw.model.loading,
      serving: raw.model.serving,
    };
  }

  let train: TfamlConfig['train'];
  if (raw.train) {
    const t = raw.train;
    train = {
      target: t.target ?? 'local',
      job: t.job === undefined ? undefined : relPath(t.job),
      data: t.data,
      epochs: t.epochs ?? 10,
      batchSize: t['batch-size'] ?? 32,
      learningRate: t['learning-rate'] ?? 0.001,
      validationSplit: t['validation-split'] ?? 0.2,
      seed: t.seed ?? 42,
      expectedHours: t['expected-hours'],
    };
    if (train.target === 'azure' && !train.job) {
      errors.push(
        new ConfigurationError(
          'train.target is azure but train.job is missing; add `job: <path of the command job YAML>`',
          doc.locate(['train', 'target']),
        ),
      );
    }
    if (train.job && !jobs.some((j) => j.path === train!.job)) {
      const near = nearest(
        train.job,
        jobs.map((j) => j.path),
      );
      errors.push(
        new ConfigurationError(
          `train.job ${train.job} is not one of the jobs listed under \`jobs:\`; ${near ? `did you mean ${near}?` : 'add it to `jobs:` so validate checks it'}`,
          doc.locate(['train', 'job']),
        ),
      );
    }
  }

  const gates: Gate[] = (raw.gates ?? []).map((g, index) => {
    if (g.min !== undefined && g.max !== undefined && g.min > g.max) {
      errors.push(
        new ConfigurationError(
          `gates[${index}] for ${g.metric} has min ${g.min} above max ${g.max}, so nothing can pass; swap or fix them`,
          doc.locate(['gates', index, 'min']),
        ),
      );
    }
    return { metric: g.metric, min: g.min, max: g.max, maxDrop: g['max-drop'], maxDropPct: g['max-drop-pct'], index };
  });

  let production: ProductionRegistry = { kind: 'local' };
  const p = raw.registries?.production;
  if (p?.registry !== undefined) production = { kind: 'registry', name: p.registry };
  else if (p?.workspace !== undefined) production = { kind: 'workspace', workspace: workspace(p.workspace) };

  const experiment = raw.registries?.experiment ?? (raw.workspace ? 'workspace' : 'local');
  if (experiment === 'workspace' && !raw.workspace) {
    errors.push(
      new ConfigurationError(
        'registries.experiment is workspace but there is no `workspace:`; add the workspace or use `experiment: local`',
        doc.locate(['registries', 'experiment']),
      ),
    );
  }

  const suppress = (raw.suppress ?? []).map((s, index) => {
    if (opts.knownRules && !opts.knownRules.includes(s.rule)) {
      const near = nearest(s.rule, opts.knownRules);
      errors.push(
        new ConfigurationError(
          `suppress[${index}].rule ${JSON.stringify(s.rule)} is not a rule id; ${near ? `did you mean ${near}?` : 'see the rule table in the README'}`,
          doc.locate(['suppress', index, 'rule']),
        ),
      );
    }
    // `reason: tracked in #123` is a YAML comment after "tracked in"; keep an issue reference as part of the reason.
    const comment = doc.trailingComment(['suppress', index, 'reason']);
    const reason = comment && /^\d+\b/.test(comment) ? `${s.reason.trim()} #${comment.trim()}` : s.reason.trim();
    if (reason.replace(/\s+/g, '').length < 3) {
      errors.push(
        new ConfigurationError(
          `suppress[${index}].reason is blank; say why this finding is accepted, e.g. "vendor image has no digests; tracked in #123"`,
          doc.locate(['suppress', index, 'reason']),
        ),
      );
    }
    return { rule: s.rule, path: s.path === undefined ? undefined : relPath(s.path), reason, index };
  });

  if (errors.length > 0) throw ConfigurationError.all(errors);

  return {
    version: 1,
    project: raw.project,
    owners: raw.owners ?? [],
    workspace: raw.workspace ? workspace(raw.workspace) : undefined,
    environments,
    data,
    compute,
    jobs,
    endpoints,
    model,
    train,
    gates,
    registries: { experiment, production },
    promote: { branch: raw.promote?.branch ?? 'main' },
    cost: raw.cost
      ? {
          region: raw.cost.region,
          budgetUsd: raw.cost['budget-usd'],
          maxIncreaseUsd: raw.cost['max-increase-usd'],
          overrideLabel: raw.cost['override-label'],
          currency: raw.cost.currency ?? 'USD',
        }
      : undefined,
    suppress,
    policy: { maxIdleSeconds: raw.policy?.['max-idle-seconds'] ?? DEFAULT_MAX_IDLE_SECONDS },
    doc,
    root,
    boundary,
    ...(opts.files ? { files: opts.files } : {}),
  };
}

function isVersionOneText(data: unknown): data is { version: unknown } {
  return typeof data === 'object' && data !== null && (data as { version?: unknown }).version === '1';
}
