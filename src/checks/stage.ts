/** stage/production-uses-experimental: production and experimentation are separated explicitly (seed article 2.6). */
import { findData, findEnvironment } from '../config/links.js';
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkStages(project: Project): Finding[] {
  const out: Finding[] = [];
  for (const job of project.jobs) {
    if (job.entry.stage !== 'production') continue;
    const env = findEnvironment(project, job.doc.file, job.environment?.value);
    if (env && env.entry.stage !== 'production' && job.environment) {
      out.push(
        findingAt(
          'stage/production-uses-experimental',
          'error',
          job.doc,
          job.environment.at,
          `this production job runs in ${quote(`${env.name}:${env.version}`)}, which tfaml.yml marks experimental (${env.doc.file}); promote the environment to \`stage: production\` in tfaml.yml after review, or use a production environment`,
        ),
      );
    }
    for (const input of job.inputs) {
      const d = findData(project, input.value);
      if (d && d.entry.stage !== 'production') {
        out.push(
          findingAt(
            'stage/production-uses-experimental',
            'error',
            job.doc,
            input.at,
            `this production job reads ${quote(`${d.name}:${d.version}`)}, which tfaml.yml marks experimental (${d.doc.file}); mark the data \`stage: production\` after review, or use production data`,
          ),
        );
      }
    }
  }
  const t = project.config.train;
  const trainJob = t?.job ? project.jobs.find((j) => j.entry.path === t.job) : undefined;
  if (t?.data && trainJob?.entry.stage === 'production') {
    const d = project.data.find((x) => x.name === t.data);
    if (d && d.entry.stage !== 'production') {
      out.push(
        findingAt(
          'stage/production-uses-experimental',
          'error',
          project.config.doc,
          ['train', 'data'],
          `train.data ${quote(d.name)} is experimental but train.job ${quote(t.job)} is a production job; mark the data \`stage: production\` after review`,
        ),
      );
    }
  }
  return out;
}
