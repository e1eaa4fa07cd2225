/**
 * The parts of an Azure job's fingerprint (src/train/fingerprint.ts), gathered from the project before anything is
 * registered, uploaded or submitted: the job's code folder and command line, its environment and data versions with
 * the hashes tfaml.lock records, the hub model's hash and tfaml.yml's training settings.
 */
import path from 'node:path';
import type { JobFile, Project } from '../../config/project.js';
import { containmentProblem } from '../../config/paths.js';
import { parseAssetRef } from '../../config/refs.js';
import { canonicalJson, sha256 } from '../../core/canonical.js';
import { ConfigurationError } from '../../core/errors.js';
import { hashFolder } from '../../lock/hash.js';
import { readLock } from '../../lock/lockfile.js';
import type { Resolved } from '../../lock/resolve.js';
import type { FingerprintParts } from '../fingerprint.js';
import { trainingSettings } from '../local/fingerprint.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The job's `code:` folder, project-relative (as uploadCode uploads it), or undefined when it has none. */
export function codeFolder(project: Project, job: JobFile): string | undefined {
  const code = (job.doc.data as Obj).code;
  if (typeof code !== 'string') return undefined;
  const rel = path.posix.normalize(path.posix.join(path.posix.dirname(job.entry.path), code.replace(/^file:/, '')));
  const outside = containmentProblem(project.config.boundary, path.resolve(project.config.root, rel), {
    what: 'code',
    written: code,
    at: job.doc.locate(['code']),
  });
  if (outside) throw outside;
  return rel;
}

/**
 * What the job runs: the code folder's content hash and the parts of the job YAML that decide what it computes (the
 * command, resources, distribution, inputs). Names, descriptions, tags and the experiment do not count.
 */
async function codePart(project: Project, job: JobFile, cacheDir: string): Promise<string> {
  const rel = codeFolder(project, job);
  const folder = rel ? (await hashFolder(path.join(project.config.root, rel), rel, { cacheDir })).hash : null;
  const y = isObj(job.doc.data) ? job.doc.data : {};
  const pick = (k: string) => (y[k] === undefined ? null : y[k]);
  return sha256(
    canonicalJson({
      folder,
      command: pick('command'),
      resources: pick('resources'),
      distribution: pick('distribution'),
      inputs: pick('inputs'),
      environmentVariables: pick('environment_variables'),
    }),
  );
}

export async function azureFingerprintParts(
  project: Project,
  resolved: Resolved,
  job: JobFile,
  o: { cacheDir: string; tfamlMajor: number },
): Promise<FingerprintParts> {
  const m = project.config.model;
  const t = project.config.train;
  if (!m || !t)
    throw new ConfigurationError('train needs `model` and `train` in tfaml.yml', project.config.doc.locate([]));
  const envText = typeof job.environment?.value === 'string' ? job.environment.value : '';
  const envRef = parseAssetRef(envText);
  const envKey = envRef.kind === 'versioned' ? `${envRef.name}:${envRef.version}` : envText;
  const versioned = job.inputs
    .map((i) => parseAssetRef(i.value))
    .flatMap((r) => (r.kind === 'versioned' ? [`${r.name}:${r.version}`] : []));
  const dataKey = versioned.find((k) => t.data !== undefined && k.startsWith(`${t.data}:`)) ?? versioned[0] ?? '';
  // A remote hub model is hashed by `tfaml lock`; the lock is where its hash is for a job that never downloads it.
  const locked = readLock(project.config.root)?.models[m.name];
  const hubHash = resolved.model?.hash ?? (locked?.hub === m.hub ? locked.hash : undefined) ?? null;
  return {
    code: await codePart(project, job, o.cacheDir),
    environment: { ref: envKey, hash: resolved.environments.get(envKey)?.hash ?? null },
    data: { ref: dataKey, hash: resolved.data.get(dataKey)?.hash ?? null },
    hub: { ref: m.hub, hash: hubHash },
    settings: trainingSettings(m, t, 'azureml'),
    tfamlMajor: o.tfamlMajor,
  };
}
