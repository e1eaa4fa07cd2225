/** job/floating-environment: a job must name exactly the environment it runs in. */
import { parseAssetRef } from '../config/refs.js';
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkJobs(project: Project): Finding[] {
  const out: Finding[] = [];
  for (const job of project.jobs) {
    const env = job.environment;
    if (!env) continue;
    if (typeof env.value !== 'string') {
      out.push(
        findingAt(
          'job/floating-environment',
          'error',
          job.doc,
          env.at,
          'the environment is defined inline, so it has no name or version and is rebuilt unversioned; move it to an environment file with a version and refer to it as azureml:<name>:<version>',
        ),
      );
      continue;
    }
    const r = parseAssetRef(env.value);
    if (r.kind === 'label') {
      out.push(
        findingAt(
          'job/floating-environment',
          'error',
          job.doc,
          env.at,
          `${quote(env.value)} follows the label ${quote(r.label)} and changes under the job; pin a version: azureml:${r.name}:<version>`,
        ),
      );
    } else if (r.kind === 'unversioned') {
      out.push(
        findingAt(
          'job/floating-environment',
          'error',
          job.doc,
          env.at,
          `${quote(env.value)} has no version; pin it: azureml:${r.name}:<version>`,
        ),
      );
    } else if (r.kind === 'registry-label') {
      out.push(
        findingAt(
          'job/floating-environment',
          'error',
          job.doc,
          env.at,
          `${quote(env.value)} follows a registry label; pin it: azureml://registries/${r.registry}/${r.assetType}/${r.name}/versions/<version>`,
        ),
      );
    }
  }
  return out;
}
