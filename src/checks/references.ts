/**
 * job/unknown-reference: a job names a compute, an environment version or a data version that nothing tfaml knows
 * defines — no file tfaml.yml lists, no tfaml.lock entry. Left alone it passes validate and fails later: cost
 * cannot price a compute it cannot see, and Azure refuses the job after training was approved. With a workspace the
 * asset may be registered there (the workspace checks look), so it is a warning; without one, an error.
 */
import { parseAssetRef } from '../config/refs.js';
import type { JobFile, Project } from '../config/project.js';
import type { YamlPath } from '../config/source.js';
import type { Finding } from '../core/findings.js';
import { nearest } from '../core/nearest.js';
import type { Lockfile } from '../lock/lockfile.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

/** Compute names Azure ML resolves without a compute resource tfaml could list. */
const BUILT_IN_COMPUTE = new Set(['local', 'serverless']);

export function checkReferences(project: Project, lock: Lockfile | undefined): Finding[] {
  const out: Finding[] = [];
  const severity = project.config.workspace ? 'warning' : 'error';
  const where = project.config.workspace
    ? 'in tfaml.yml or tfaml.lock (if the workspace has it, list its file in tfaml.yml so tfaml governs it)'
    : 'in tfaml.yml or tfaml.lock';
  const computes = project.compute.map((c) => c.name);
  const envs = new Set([
    ...project.environments.map((e) => `${e.name}:${e.version}`),
    ...Object.keys(lock?.environments ?? {}),
  ]);
  const data = new Set([...project.data.map((d) => `${d.name}:${d.version}`), ...Object.keys(lock?.data ?? {})]);
  const say = (job: JobFile, at: YamlPath, message: string) =>
    out.push(findingAt('job/unknown-reference', severity, job.doc, at, message));

  for (const job of project.jobs) {
    if (job.compute) {
      const name = job.compute.value.replace(/^azureml:/, '');
      if (!BUILT_IN_COMPUTE.has(name) && !computes.includes(name)) {
        const near = nearest(name, computes);
        say(
          job,
          job.compute.at,
          `compute ${quote(name)} is not defined ${where}${near ? `; did you mean ${near}?` : `; list its amlcompute file under \`compute:\``}`,
        );
      }
    }
    const env = job.environment;
    if (env && typeof env.value === 'string') {
      const r = parseAssetRef(env.value);
      if (r.kind === 'versioned' && !envs.has(`${r.name}:${r.version}`))
        say(
          job,
          env.at,
          `environment ${quote(`${r.name}:${r.version}`)} is not defined ${where}; list its environment file under \`environments:\`, or fix the name or version (known: ${[...envs].sort().join(', ') || 'none'})`,
        );
    }
    for (const input of job.inputs) {
      const r = parseAssetRef(input.value);
      if (r.kind === 'versioned' && !data.has(`${r.name}:${r.version}`))
        say(
          job,
          input.at,
          `input ${quote(input.name)} uses data ${quote(`${r.name}:${r.version}`)}, which is not defined ${where}; list its data file under \`data:\`, or fix the name or version (known: ${[...data].sort().join(', ') || 'none'})`,
        );
    }
  }
  return out;
}
