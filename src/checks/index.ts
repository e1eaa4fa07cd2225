/** Every validate check, pure over the loaded project, the resolved fingerprints, the lockfile and the base ref. */
import type { Project } from '../config/project.js';
import { compareFindings, type Finding, type SuppressedFinding } from '../core/findings.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { Resolved } from '../lock/resolve.js';
import type { BaseRef } from '../core/ports.js';
import { checkCompute } from './compute.js';
import { checkData } from './data.js';
import { checkEnvironments, checkJobGpu } from './environment.js';
import { checkJobs } from './job.js';
import { checkLock } from './lock.js';
import { checkModel } from './model.js';
import { checkOwners } from './owner.js';
import { checkStages } from './stage.js';
import { applySuppressions } from './suppress.js';
import { checkVersionBumps } from './versions.js';

export interface CheckInputs {
  project: Project;
  resolved: Resolved;
  lock?: Lockfile;
  /** The pull request's base; without it env/version-not-bumped is not checked. */
  base?: BaseRef;
  /** Findings made elsewhere (the workspace checks), suppressed and sorted with the rest. */
  extra?: Finding[];
}

export interface CheckResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

export function runChecks({ project, resolved, lock, base, extra = [] }: CheckInputs): CheckResult {
  const all = [
    ...checkOwners(project),
    ...checkEnvironments(project),
    ...checkJobGpu(project),
    ...checkData(project),
    ...checkModel(project),
    ...checkCompute(project),
    ...checkJobs(project),
    ...checkStages(project),
    ...checkLock(project, resolved, lock),
    ...(base ? checkVersionBumps(project, base) : []),
    ...extra,
  ];
  const { findings, suppressed } = applySuppressions(project.config, all);
  return { findings: findings.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}
