/**
 * registry/ephemeral-production: the embedded production registry lives in `.tfaml/` on the machine that ran
 * promote. A GitHub-hosted runner is thrown away after the job, and the champion with it: the next merge would find
 * no champion and promote against nothing. The runner says where it is (RUNNER_ENVIRONMENT); the project decides.
 */
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';

export function checkRegistries(project: Project, runnerEnvironment: string | undefined): Finding[] {
  const p = project.config.registries.production;
  if (runnerEnvironment !== 'github-hosted' || p.kind !== 'local') return [];
  return [
    findingAt(
      'registry/ephemeral-production',
      'error',
      project.config.doc,
      ['registries', 'production'],
      'production is the embedded registry in .tfaml/, which a GitHub-hosted runner throws away with the job (and the champion with it); keep production in an Azure ML registry (production: { registry: <name> }) or a workspace, or promote on a self-hosted runner',
    ),
  ];
}
