/**
 * The environment checks of validate, pure over the files in the repository:
 *   env/missing-version       an environment file without `version:`
 *   env/unpinned-image        `image:` and each Dockerfile FROM without a digest
 *   env/unpinned-package      conda / pip / Dockerfile RUN installs without an exact pin
 *   env/local-path-dependency local paths, `file:`, editable installs, and `-r` files Azure ML will not see
 *   env/cuda-mismatch         tensorflow vs CUDA/cuDNN vs python per environment; per job, vs the compute's GPU
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findCompute, findEnvironment } from '../config/links.js';
import type { EnvironmentFile, JobFile, Project } from '../config/project.js';
import { ConfigurationError } from '../core/errors.js';
import { compareFindings, type Finding } from '../core/findings.js';
import { parseConda, type CondaEnv } from '../parse/conda.js';
import type { Dependency } from '../parse/dependency.js';
import { dockerfileDependencies } from '../parse/dockerfile-installs.js';
import { finalBase, parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile.js';
import type { RequirementsContext } from '../parse/pip.js';
import { dependencyFindings } from './conda.js';
import {
  checkGpuCompute,
  checkTfCuda,
  findPackageCuda,
  findPython,
  findTensorflow,
  imageCuda,
  type ComputeTarget,
  type EnvCudaFacts,
} from './cuda.js';
import { fromFindings } from './dockerfile.js';
import { imageProblem } from './image.js';
import { quote } from '../core/inert.js';

/** Everything read for one environment, with the findings its files produce on their own. */
export interface EnvironmentAnalysis {
  env: EnvironmentFile;
  conda?: CondaEnv;
  dockerfile?: { file: string; parsed: ParsedDockerfile };
  /** Conda and pip dependencies (with `-r` files), then what the Dockerfile's RUN lines install. */
  dependencies: Dependency[];
  facts: EnvCudaFacts;
  findings: Finding[];
}

/**
 * Read and judge one environment. Problems that make a file unusable (a missing `-r` file, an unreadable
 * Dockerfile) are pushed to `errors` as ConfigurationErrors rather than thrown, so all of them are reported at once.
 */
export function analyzeEnvironment(
  project: Project,
  env: EnvironmentFile,
  errors: ConfigurationError[] = [],
): EnvironmentAnalysis {
  const root = project.config.root;
  const findings: Finding[] = [];
  const deps: Dependency[] = [];
  const label = `${env.name}:${env.version ?? '<no version>'}`;
  const facts: EnvCudaFacts = { label, packages: {} };

  if (env.version === undefined || env.version.trim() === '') {
    const loc = env.doc.locate(['name']);
    findings.push({
      rule: 'env/missing-version',
      severity: 'error',
      file: loc.file,
      line: loc.line ?? 1,
      column: loc.column,
      message: `environment ${quote(env.name || env.doc.file)} has no \`version\`, so \`az ml environment create\` auto-increments it and the same file can register as a different version on each run; add an explicit version (version: "1") and bump it whenever the image, conda file or build context changes`,
      source: 'files',
    });
  }

  if (env.image !== undefined) {
    const location = env.doc.place(['image']);
    const p = imageProblem(env.image, 'image:');
    if (p)
      findings.push({
        rule: 'env/unpinned-image',
        severity: p.severity,
        ...location,
        message: p.message,
        source: 'files',
      });
    facts.image = { ref: env.image.trim(), location, cuda: imageCuda(env.image) };
  }

  let conda: CondaEnv | undefined;
  if (env.conda) {
    const ctx: RequirementsContext = { root, errors };
    conda = parseConda(env.conda, root, ctx);
    deps.push(...conda.dependencies);
    findings.push(...dependencyFindings(conda.dependencies));
    for (const inc of conda.includes) {
      findings.push({
        rule: 'env/local-path-dependency',
        severity: 'warning',
        ...inc.location,
        message: `${quote(inc.text)} refers to a file beside the conda file, but Azure ML builds the environment from the conda file's content alone and does not upload ${quote(inc.file)} with it, so pip cannot find it during the image build; copy its lines into this pip list (or use a build: context whose Dockerfile COPYs it)`,
        source: 'files',
      });
    }
  }

  let dockerfile: EnvironmentAnalysis['dockerfile'];
  if (env.build) {
    let text = env.build.dockerfileText;
    if (text === undefined) {
      try {
        text = readFileSync(path.join(root, env.build.dockerfile), 'utf8');
      } catch (err) {
        errors.push(
          new ConfigurationError(
            `the Dockerfile ${quote(env.build.dockerfile)} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); fix build.path / build.dockerfile_path`,
            env.doc.locate(['build', 'path']),
          ),
        );
      }
    }
    if (text !== undefined) {
      const file = env.build.dockerfile;
      const parsed = parseDockerfile(text);
      dockerfile = { file, parsed };
      findings.push(...fromFindings(file, parsed));
      // Files a RUN line reads from the build context are best effort: a missing one is not an error here.
      const runDeps = dockerfileDependencies(file, parsed, { root, dir: env.build.dir }, { root, errors: [] });
      deps.push(...runDeps);
      findings.push(...dependencyFindings(runDeps, { includeLocal: false }));
      if (!facts.image) {
        const base = finalBase(parsed).from;
        if (base?.kind === 'image' && base.image)
          facts.image = { ref: base.image, location: { file, line: base.line }, cuda: imageCuda(base.image) };
        else if (base?.kind === 'scratch')
          facts.image = { ref: 'scratch', location: { file, line: base.line }, cuda: { kind: 'cpu' } };
      }
    }
  }

  facts.tf = findTensorflow(deps);
  facts.python = findPython(deps);
  facts.packages = findPackageCuda(deps);
  findings.push(...checkTfCuda(facts));
  return { env, conda, dockerfile, dependencies: deps, facts, findings };
}

/** Drop repeats (a file shared by several environments) and sort by file and line. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.sort(compareFindings).filter((f) => {
    const k = `${f.rule}\0${f.file}\0${f.line}\0${f.column ?? ''}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * env/missing-version, env/unpinned-image, env/unpinned-package, env/local-path-dependency and the per-environment
 * env/cuda-mismatch findings. A file that cannot be used (a missing `-r` requirements file) is a
 * ConfigurationError, thrown after every environment has been read so that all such problems are named at once.
 * A conda file shared by several environments is reported once.
 */
export function checkEnvironments(project: Project): Finding[] {
  const errors: ConfigurationError[] = [];
  const out: Finding[] = [];
  for (const env of project.environments) out.push(...analyzeEnvironment(project, env, errors).findings);
  if (errors.length > 0) throw ConfigurationError.all(errors);
  return dedupe(out);
}

/** Where a job runs: its `compute:` (when tfaml.yml lists that compute), else a serverless `resources.instance_type`. */
function jobCompute(project: Project, job: JobFile): ComputeTarget | undefined {
  const at = (p: readonly (string | number)[]): ComputeTarget['location'] => job.doc.place(p);
  if (job.compute) {
    const c = findCompute(project, job.compute.value);
    if (!c?.size) return undefined;
    return { label: `compute ${quote(c.name)} (${quote(c.size)})`, size: c.size, location: at(job.compute.at) };
  }
  const data = job.doc.data as { resources?: { instance_type?: unknown } } | null;
  const size = data?.resources?.instance_type;
  if (typeof size === 'string' && size.trim() !== '')
    return { label: `serverless compute ${quote(size)}`, size, location: at(['resources', 'instance_type']) };
  return undefined;
}

/**
 * env/cuda-mismatch per job: the job's environment (azureml:<name>:<version> or file:, as listed in tfaml.yml)
 * against the GPU of its compute. Jobs whose environment or compute does not resolve to a file tfaml.yml lists are
 * skipped silently (job/floating-environment reports floating references); so are environments whose files cannot
 * be read (checkEnvironments reports those).
 */
export function checkJobGpu(project: Project): Finding[] {
  const out: Finding[] = [];
  const cache = new Map<EnvironmentFile, EnvCudaFacts | undefined>();
  for (const job of project.jobs) {
    const env = findEnvironment(project, job.doc.file, job.environment?.value);
    if (!env) continue;
    const compute = jobCompute(project, job);
    if (!compute) continue;
    if (!cache.has(env)) {
      const errors: ConfigurationError[] = [];
      let facts: EnvCudaFacts | undefined;
      try {
        facts = analyzeEnvironment(project, env, errors).facts;
      } catch (err) {
        if (!(err instanceof ConfigurationError)) throw err;
      }
      cache.set(env, facts);
    }
    const facts = cache.get(env);
    if (facts) out.push(...checkGpuCompute(facts, compute));
  }
  return dedupe(out);
}
