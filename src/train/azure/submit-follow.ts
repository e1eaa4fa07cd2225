/**
 * Submit and follow: a submission is submitted once (a re-run finds its job by the deterministic name and follows it
 * instead of submitting again), followed to its end by the adapter's follower, and its metrics read from MLflow.
 */
import { ConfigurationError, RegistryConflictError } from '../../core/errors.js';
import { STALLED_JOB_STATES, type CommandJobSpec, type JobInfo, type Log, type Workspace } from '../../core/ports.js';
import { SUBMISSION_TAG } from '../../core/tags.js';
import { jobNameFor, submissionHash } from './job.js';

/**
 * Submits the job unless this submission already exists: a running or completed job with the same name is followed
 * again (a re-run does not submit twice); one that failed or was cancelled is retried under the next `-rN` name.
 */
export async function submitOrReuse(
  ws: Workspace,
  project: string,
  spec: CommandJobSpec,
  log: Log,
): Promise<{ job: JobInfo; submitted: boolean }> {
  const hash = submissionHash(spec);
  const withTag = { ...spec, tags: { ...spec.tags, [SUBMISSION_TAG]: hash } };
  for (let attempt = 1; attempt <= 20; attempt++) {
    const name = jobNameFor(project, hash, attempt);
    const existing = await ws.getJob(name);
    if (existing) {
      if (existing.tags[SUBMISSION_TAG] !== hash)
        throw new RegistryConflictError(
          `${ws.description} has a job named ${name} that tfaml did not submit for this commit; delete or rename it`,
        );
      if (existing.status === 'Failed' || existing.status === 'Canceled') {
        log.info(`job ${name} ended ${existing.status}; submitting it again as a new job`);
        continue;
      }
      log.info(
        `job ${name} was already submitted for this commit and config (${existing.status}); following it instead of submitting again`,
      );
      return { job: existing, submitted: false };
    }
    log.info(`submitting job ${name} to ${ws.description}`);
    return { job: await ws.createJob(name, withTag), submitted: true };
  }
  throw new Error(`job ${jobNameFor(project, hash)} failed 20 times for this commit; not submitting it again`);
}

/** The metrics of a finished job from the workspace's MLflow; a failed job's error becomes the message. */
export async function jobMetrics(
  ws: Workspace,
  job: JobInfo,
): Promise<{ metrics: Record<string, number>; tags: Record<string, string> }> {
  if (STALLED_JOB_STATES.includes(job.status))
    throw new ConfigurationError(
      `Azure ML job ${job.name} is still ${job.status}: tfaml stopped waiting for it and did not cancel it, so it may resume and keep its compute nodes; look at it in ${job.studioUrl ?? 'Azure ML studio'}, then run train again to follow it to its end, or cancel it (\`az ml job cancel -n ${job.name}\`)`,
    );
  const run = await ws.getRun(job.name);
  if (job.status !== 'Completed') {
    const err = run?.tags['mlflow.runError'] ?? run?.tags['error'];
    throw new ConfigurationError(
      `Azure ML job ${job.name} ended ${job.status}${err ? `: ${err}` : ''}; logs: ${job.studioUrl ?? 'Azure ML studio'} (or \`az ml job stream -n ${job.name}\`)`,
    );
  }
  if (!run)
    throw new ConfigurationError(
      `Azure ML job ${job.name} completed but MLflow has no run ${job.name}; the training script must log its metrics with mlflow`,
    );
  return { metrics: run.metrics, tags: run.tags };
}

/** Follows a submitted job to its end (the adapter polls with backoff and cancels on the workflow's cancel). */
export type FollowJob = (ws: Workspace, name: string) => Promise<FollowedJob>;

interface FollowedJob {
  /** The job as it ended. */
  job: JobInfo;
  /** Requests the follow made, for the ≤ 4 per job-minute budget. */
  requests: number;
  elapsedMs: number;
}
