/**
 * The Azure ML CLI v2 YAML files that tfaml.yml governs, read as users write them. Each record keeps its
 * SourceDoc so checks can point at file:line. Only what a file cannot possibly mean is an error here (a missing
 * file, a number where a name belongs); everything that is merely unwise is left to the checks as a finding.
 */
import { containmentProblem } from './paths.js';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.js';
import { diskFiles } from './files.js';
import { nearest } from '../core/nearest.js';
import { relPath } from './load.js';
import { SourceDoc, type YamlPath } from './source.js';
import type { AssetEntry, DataEntry, TfamlConfig } from './types.js';

export interface EnvironmentFile {
  entry: AssetEntry;
  doc: SourceDoc;
  name: string;
  /** Undefined when the file has no `version:` (env/missing-version). Numbers are read as their text. */
  version?: string;
  image?: string;
  /** The conda file, parsed, when `conda_file:` names one. */
  conda?: SourceDoc;
  /** The docker build context when `build:` is used. */
  build?: { dir: string; dockerfile: string; dockerfileText?: string };
}

export interface DataFile {
  entry: DataEntry;
  doc: SourceDoc;
  name: string;
  version?: string;
  type?: string;
  path?: string;
}

export interface ComputeFile {
  entry: AssetEntry;
  doc: SourceDoc;
  name: string;
  type?: string;
  size?: string;
  minInstances?: number;
  maxInstances?: number;
  idleSeconds?: number;
  tier?: string;
}

/** A reference as written in a file, with the YAML path where it was written. */
export interface Ref<T = string> {
  value: T;
  at: YamlPath;
}

export interface JobFile {
  entry: AssetEntry;
  doc: SourceDoc;
  type: string;
  /** A string reference, or `inline` when the job defines its environment as a mapping. */
  environment?: Ref<string | { inline: true }>;
  compute?: Ref;
  /** Inputs whose value is an asset path (`path:`), by input name. */
  inputs: (Ref & { name: string; type?: string })[];
  instanceCount?: number;
  timeoutSeconds?: number;
}

export interface EndpointFile {
  entry: AssetEntry;
  doc: SourceDoc;
  name?: string;
  endpointName?: string;
  model?: Ref;
  environment?: Ref<string | { inline: true }>;
  instanceType?: string;
  instanceCount: number;
}

export interface Project {
  config: TfamlConfig;
  environments: EnvironmentFile[];
  data: DataFile[];
  compute: ComputeFile[];
  jobs: JobFile[];
  endpoints: EndpointFile[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Typed access to a user's YAML that fails with the file, line and the fix. */
class Reader {
  readonly errors: ConfigurationError[] = [];
  constructor(readonly doc: SourceDoc) {}

  get root(): Obj {
    return isObj(this.doc.data) ? this.doc.data : {};
  }

  private at(p: YamlPath): unknown {
    let v: unknown = this.doc.data;
    for (const k of p) v = isObj(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined;
    return v;
  }

  fail(p: YamlPath, message: string): undefined {
    this.errors.push(new ConfigurationError(message, this.doc.locate(p)));
    return undefined;
  }

  /** A name, version or other scalar text; numbers are accepted and read as text (YAML reads `version: 3` as 3). */
  text(p: YamlPath, what: string): string | undefined {
    const v = this.at(p);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(p, `${what} must be text, found ${Array.isArray(v) ? 'a list' : 'a mapping'}`);
  }

  number(p: YamlPath, what: string): number | undefined {
    const v = this.at(p);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return this.fail(p, `${what} must be a number, found ${JSON.stringify(v)}`);
  }

  ref(p: YamlPath): Ref<string | { inline: true }> | undefined {
    const v = this.at(p);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return { value: v, at: p };
    if (isObj(v)) return { value: { inline: true }, at: p };
    return this.fail(p, `expected a reference such as azureml:<name>:<version>, found ${JSON.stringify(v)}`);
  }

  /**
   * A required key is missing. When the mapping has a key that looks like a misspelling of it (`enviroment:`), the
   * error points there and says so: the loader stops before validate's azureml/unknown-key warnings would.
   */
  missing(parent: YamlPath, key: string, message: string, at: YamlPath = [...parent, key]): undefined {
    const m = this.at(parent);
    const typo = isObj(m) ? Object.keys(m).find((k) => k !== key && nearest(k, [key]) === key) : undefined;
    if (typo === undefined) return this.fail(at, message);
    this.errors.push(
      new ConfigurationError(
        `${message} (the key ${JSON.stringify(typo)} here looks like a misspelling of \`${key}\`)`,
        this.doc.locate([...parent, typo], { key: true }),
      ),
    );
    return undefined;
  }

  requireMapping(what: string): boolean {
    if (isObj(this.doc.data)) return true;
    this.fail([], `this ${what} file must be a YAML mapping (key: value lines), as the Azure ML CLI v2 expects`);
    return false;
  }
}

function loadDoc(config: TfamlConfig, rel: string, from: YamlPath, what: string): SourceDoc {
  return SourceDoc.read(rel, path.join(config.root, rel), config.doc.locate(from), what, config.files ?? diskFiles);
}

/** The problem with a project-relative path an Azure ML YAML file names, when it leads outside the project. */
function contained(
  config: TfamlConfig,
  rel: string,
  what: string,
  written: string,
  doc: SourceDoc,
  at: YamlPath,
): ConfigurationError | undefined {
  return containmentProblem(config.boundary, path.resolve(config.root, rel), {
    what,
    written,
    at: doc.locate(at),
    lexical: config.files !== undefined,
  });
}

/** Resolve a path written inside an Azure ML YAML file: relative to that file's folder, as the CLI does. */
function besideFile(fileRel: string, p: string): string {
  return relPath(path.posix.join(path.posix.dirname(fileRel), p.replace(/^file:/, '')));
}

function loadEnvironment(
  config: TfamlConfig,
  entry: AssetEntry,
  errors: ConfigurationError[],
): EnvironmentFile | undefined {
  const doc = loadDoc(config, entry.path, ['environments', entry.index, 'path'], 'environment file');
  const r = new Reader(doc);
  if (!r.requireMapping('environment')) return void errors.push(...r.errors);
  const name =
    r.text(['name'], 'name') ?? r.missing([], 'name', 'the environment has no `name`; add `name: <environment name>`');
  const env: EnvironmentFile = {
    entry,
    doc,
    name: name ?? '',
    version: r.text(['version'], 'version'),
    image: r.text(['image'], 'image'),
  };
  const conda = r.text(['conda_file'], 'conda_file');
  const condaOutside =
    conda === undefined
      ? undefined
      : contained(config, besideFile(entry.path, conda), 'conda_file', conda, doc, ['conda_file']);
  if (condaOutside) errors.push(condaOutside);
  else if (conda !== undefined) {
    try {
      env.conda = SourceDoc.read(
        besideFile(entry.path, conda),
        path.join(config.root, besideFile(entry.path, conda)),
        doc.locate(['conda_file']),
        'conda file',
        config.files ?? diskFiles,
        `fix conda_file (it resolves against the folder of ${entry.path})`,
      );
    } catch (e) {
      if (e instanceof ConfigurationError) errors.push(e);
      else throw e;
    }
  }
  const build = r.root.build;
  if (build !== undefined) {
    const dirText = r.text(['build', 'path'], 'build.path');
    if (!isObj(build) || dirText === undefined) {
      r.fail(
        ['build'],
        'build must be a mapping with `path:` (the docker build context), e.g. build: { path: ./docker-context }',
      );
    } else {
      const dir = besideFile(entry.path, dirText);
      const dockerfile = relPath(
        path.posix.join(dir, r.text(['build', 'dockerfile_path'], 'build.dockerfile_path') ?? 'Dockerfile'),
      );
      const absDir = path.join(config.root, dir);
      const files = config.files ?? diskFiles;
      const outside =
        contained(config, dir, 'build.path', dirText, doc, ['build', 'path']) ??
        contained(config, dockerfile, 'build.dockerfile_path', dockerfile, doc, ['build', 'dockerfile_path']);
      if (outside) {
        r.errors.push(outside);
      } else if (!files.isDirectory(absDir)) {
        r.fail(
          ['build', 'path'],
          `the build context ${dir} is not a folder; fix build.path (it resolves against ${path.posix.dirname(entry.path)})`,
        );
      } else if (!files.exists(path.join(config.root, dockerfile))) {
        r.fail(
          build.dockerfile_path === undefined ? ['build', 'path'] : ['build', 'dockerfile_path'],
          `the build context has no ${dockerfile}; add it or set build.dockerfile_path`,
        );
      } else {
        env.build = { dir, dockerfile };
      }
    }
  }
  if (env.image === undefined && conda === undefined && build === undefined) {
    r.missing([], 'image', 'the environment has neither `image:` nor `build:`; Azure ML needs one of them', []);
  } else if (env.image === undefined && build === undefined) {
    r.missing(
      [],
      'image',
      'a conda_file needs a base `image:` to install into; add `image: <base image>@sha256:<digest>`',
      ['conda_file'],
    );
  }
  errors.push(...r.errors);
  return env;
}

function loadData(config: TfamlConfig, entry: DataEntry, errors: ConfigurationError[]): DataFile | undefined {
  const doc = loadDoc(config, entry.path, ['data', entry.index, 'path'], 'data asset file');
  const r = new Reader(doc);
  if (!r.requireMapping('data asset')) return void errors.push(...r.errors);
  const name =
    r.text(['name'], 'name') ?? r.missing([], 'name', 'the data asset has no `name`; add `name: <data asset name>`');
  const out: DataFile = {
    entry,
    doc,
    name: name ?? '',
    version: r.text(['version'], 'version'),
    type: r.text(['type'], 'type'),
    path: r.text(['path'], 'path'),
  };
  if (out.path === undefined)
    r.missing(
      [],
      'path',
      'the data asset has no `path`; add where the data lives, e.g. azureml://datastores/<store>/paths/<folder>/',
      [],
    );
  errors.push(...r.errors);
  return out;
}

function loadCompute(config: TfamlConfig, entry: AssetEntry, errors: ConfigurationError[]): ComputeFile | undefined {
  const doc = loadDoc(config, entry.path, ['compute', entry.index, 'path'], 'compute file');
  const r = new Reader(doc);
  if (!r.requireMapping('compute')) return void errors.push(...r.errors);
  const name =
    r.text(['name'], 'name') ?? r.missing([], 'name', 'the compute has no `name`; add `name: <cluster name>`');
  const out: ComputeFile = {
    entry,
    doc,
    name: name ?? '',
    type: r.text(['type'], 'type'),
    size: r.text(['size'], 'size'),
    minInstances: r.number(['min_instances'], 'min_instances'),
    maxInstances: r.number(['max_instances'], 'max_instances'),
    idleSeconds: r.number(['idle_time_before_scale_down'], 'idle_time_before_scale_down'),
    tier: r.text(['tier'], 'tier'),
  };
  errors.push(...r.errors);
  return out;
}

function loadJob(config: TfamlConfig, entry: AssetEntry, errors: ConfigurationError[]): JobFile | undefined {
  const doc = loadDoc(config, entry.path, ['jobs', entry.index, 'path'], 'job file');
  const r = new Reader(doc);
  if (!r.requireMapping('job')) return void errors.push(...r.errors);
  const type = r.text(['type'], 'type') ?? 'command';
  const trial = type === 'sweep' ? ['trial'] : [];
  const job: JobFile = {
    entry,
    doc,
    type,
    environment: r.ref([...trial, 'environment']),
    compute: undefined,
    inputs: [],
    instanceCount: r.number(['resources', 'instance_count'], 'resources.instance_count'),
    timeoutSeconds: r.number(['limits', type === 'sweep' ? 'trial_timeout' : 'timeout'], 'limits.timeout'),
  };
  const compute = r.text(['compute'], 'compute');
  if (compute !== undefined) job.compute = { value: compute, at: ['compute'] };
  // A local `code:` folder is uploaded whole by train: refuse one outside the project where validate sees it.
  const code = r.text([...trial, 'code'], 'code');
  if (code !== undefined && !/^(azureml:|https?:|wasbs?:|abfss?:)/i.test(code)) {
    const outside = contained(config, besideFile(entry.path, code), 'code', code, doc, [...trial, 'code']);
    if (outside) r.errors.push(outside);
  }
  const inputs = r.root.inputs;
  if (isObj(inputs)) {
    for (const [name, v] of Object.entries(inputs)) {
      if (isObj(v) && v.path !== undefined) {
        const p = r.text(['inputs', name, 'path'], `inputs.${name}.path`);
        if (p !== undefined)
          job.inputs.push({
            name,
            value: p,
            at: ['inputs', name, 'path'],
            type: typeof v.type === 'string' ? v.type : undefined,
          });
      }
    }
  }
  if ((type === 'command' || type === 'sweep') && job.environment === undefined) {
    r.missing(
      trial,
      'environment',
      `the ${type} job has no \`environment\`; add \`environment: azureml:<name>:<version>\``,
      trial,
    );
  }
  errors.push(...r.errors);
  return job;
}

function loadEndpoint(config: TfamlConfig, entry: AssetEntry, errors: ConfigurationError[]): EndpointFile | undefined {
  const doc = loadDoc(config, entry.path, ['endpoints', entry.index, 'path'], 'deployment file');
  const r = new Reader(doc);
  if (!r.requireMapping('deployment')) return void errors.push(...r.errors);
  const model = r.ref(['model']);
  const out: EndpointFile = {
    entry,
    doc,
    name: r.text(['name'], 'name'),
    endpointName: r.text(['endpoint_name'], 'endpoint_name'),
    model: model && typeof model.value === 'string' ? (model as Ref) : undefined,
    environment: r.ref(['environment']),
    instanceType: r.text(['instance_type'], 'instance_type'),
    instanceCount: r.number(['instance_count'], 'instance_count') ?? 1,
  };
  errors.push(...r.errors);
  return out;
}

/** Read every file tfaml.yml lists. All problems are collected and thrown together. */
export function loadProject(config: TfamlConfig): Project {
  const errors: ConfigurationError[] = [];
  const each = <E, T>(list: E[], load: (c: TfamlConfig, e: E, errs: ConfigurationError[]) => T | undefined): T[] => {
    const out: T[] = [];
    for (const e of list) {
      try {
        const t = load(config, e, errors);
        if (t) out.push(t);
      } catch (err) {
        if (err instanceof ConfigurationError) errors.push(err, ...err.more);
        else throw err;
      }
    }
    return out;
  };
  const project: Project = {
    config,
    environments: each(config.environments, loadEnvironment),
    data: each(config.data, loadData),
    compute: each(config.compute, loadCompute),
    jobs: each(config.jobs, loadJob),
    endpoints: each(config.endpoints, loadEndpoint),
  };
  if (config.train?.data !== undefined && errors.length === 0) {
    const names = project.data.map((d) => d.name);
    if (!names.includes(config.train.data)) {
      errors.push(
        new ConfigurationError(
          `train.data ${JSON.stringify(config.train.data)} is not the name of a data asset listed under \`data:\`; ${names.length ? `the names are ${names.join(', ')}` : 'add the data asset to `data:`'}`,
          config.doc.locate(['train', 'data']),
        ),
      );
    }
  }
  if (errors.length > 0) throw ConfigurationError.all(errors);
  return project;
}
