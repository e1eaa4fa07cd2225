/**
 * How the files refer to each other: a job's `environment:` to an environment file, its `compute:` to a compute
 * file, its inputs to data assets. Only references tfaml.yml governs resolve; the rest are undefined.
 */
import path from 'node:path';
import { relPath } from './load.js';
import type { ComputeFile, DataFile, EnvironmentFile, Project } from './project.js';
import { parseAssetRef } from './refs.js';

export function findEnvironment(
  project: Project,
  fromFile: string,
  ref: string | { inline: true } | undefined,
): EnvironmentFile | undefined {
  if (ref === undefined || typeof ref !== 'string') return undefined;
  const r = parseAssetRef(ref);
  if (r.kind === 'versioned' || r.kind === 'workspace-versioned')
    return project.environments.find((e) => e.name === r.name && e.version === r.version);
  if (r.kind === 'file' || r.kind === 'local') {
    const target = relPath(path.posix.join(path.posix.dirname(fromFile), r.path));
    return project.environments.find((e) => e.doc.file === target);
  }
  return undefined;
}

export function findCompute(project: Project, ref: string | undefined): ComputeFile | undefined {
  if (ref === undefined) return undefined;
  const name = ref.replace(/^azureml:/i, '');
  return project.compute.find((c) => c.name === name);
}

export function findData(project: Project, ref: string): DataFile | undefined {
  const r = parseAssetRef(ref);
  if (r.kind === 'versioned' || r.kind === 'workspace-versioned')
    return project.data.find((d) => d.name === r.name && d.version === r.version);
  return undefined;
}
