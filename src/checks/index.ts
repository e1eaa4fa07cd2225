/** Every validate check, pure over the loaded project, the resolved fingerprints, the lockfile and the base ref. */
import type { Project } from '../config/project.js';
import type { Policy } from '../config/policy.js';
import { compareFindings, type Finding } from '../core/findings.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { Resolved } from '../lock/resolve.js';
import type { BaseRef } from '../core/ports.js';
import { checkAzureMlKeys } from './azureml-keys.js';
import { checkCompute } from './compute.js';
import { checkData } from './data.js';
import { checkEnvironments, checkJobGpu } from './environment.js';
import { checkGates } from './gates.js';
import { checkJobs } from './job.js';
import { checkLock } from './lock.js';
import { checkModel } from './model.js';
import { checkOwners } from './owner.js';
import { checkReferences } from './references.js';
import { checkRegistries } from './registries.js';
import { checkServing } from './serving.js';
import { checkStages } from './stage.js';
import { applySuppressions, type NewSuppression, type Suppressed } from './suppress.js';
import { checkVersionBumps } from './versions.js';

export interface CheckInputs {
  project: Project;
  resolved: Resolved;
  lock?: Lockfile;
  /** The pull request's base; without it env/version-not-bumped is not checked. */
  base?: BaseRef;
  /** Findings made elsewhere (the workspace checks), suppressed and sorted with the rest. */
  extra?: Finding[];
  /**
   * The policy that judges the project when it is not tfaml.yml's own: on a pull request, the base's
   * (src/config/policy.ts). Its suppressions are the base's; any other suppression in tfaml.yml is reported as new.
   */
  policy?: Policy;
  /** RUNNER_ENVIRONMENT on a GitHub runner (github-hosted | self-hosted); undefined elsewhere. */
  runnerEnvironment?: string;
}

export interface CheckResult {
  findings: Finding[];
  suppressed: Suppressed[];
  /** With a base policy: the suppressions this pull request adds, which apply but are listed apart. */
  newSuppressions?: NewSuppression[];
}

export function runChecks({
  project,
  resolved,
  lock,
  base,
  extra = [],
  policy,
  runnerEnvironment,
}: CheckInputs): CheckResult {
  const all = [
    ...checkOwners(project),
    ...checkEnvironments(project),
    ...checkJobGpu(project),
    ...checkData(project),
    ...checkModel(project),
    ...checkServing(project, lock),
    ...checkCompute(project, policy?.maxIdleSeconds),
    ...checkJobs(project),
    ...checkAzureMlKeys(project),
    ...checkGates(project),
    ...checkRegistries(project, runnerEnvironment),
    ...checkReferences(project, lock),
    ...checkStages(project),
    ...checkLock(project, resolved, lock),
    ...(base ? checkVersionBumps(project, base) : []),
    ...extra,
  ];
  const { findings, suppressed, added } = applySuppressions(project.config, all, policy?.suppress);
  return {
    findings: findings.sort(compareFindings),
    suppressed: suppressed.sort(compareFindings),
    ...(added ? { newSuppressions: added } : {}),
  };
}
