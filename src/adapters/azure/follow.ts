/**
 * Follows an Azure ML job to its end. Polls with a backoff that starts at 10 s and grows to a minute (about one ARM
 * request per job-minute once a job runs for long; the target is at most 4), never polls faster than a Retry-After
 * the service asked for, prints each status change once, and cancels the job in Azure when the workflow is
 * cancelled (the AbortSignal fires) — then waits, bounded, until Azure reports it cancelled.
 *
 * NotResponding and Paused are waited through, not taken as an end: JobStatus in Microsoft's REST spec
 * (azure-rest-api-specs, specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/
 * stable/2022-10-01/mfe.json) says a run "can go from NotResponding to any of the previous states", and a paused job
 * can be resumed. Giving up at once failed the workflow while the job recovered and kept its nodes. The wait is
 * bounded (30 minutes in one of those states by default); then the follower stops, says so, and leaves the job alone:
 * a re-run of train finds it by its name and follows it again.
 */
import type { Clock, JobInfo, Log, Workspace } from '../../core/ports.js';
import { STALLED_JOB_STATES, TERMINAL_JOB_STATES } from '../../core/ports.js';
import { armError } from './errors.js';

export interface FollowOptions {
  log: Log;
  clock?: Clock;
  /** Waits; tests pass one that moves a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Fires when the workflow is cancelled: the job is cancelled in Azure. */
  signal?: AbortSignal;
  /** First poll interval and the cap, in ms (defaults 10 s and 60 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /** Give up waiting for Canceled after this long (default 5 minutes). */
  cancelWaitMs?: number;
  /** Stop following a job that stays NotResponding or Paused this long (default 30 minutes). */
  stalledWaitMs?: number;
}

export interface FollowResult {
  job: JobInfo;
  /** ARM requests this follow made (gets and the cancel), for the ≤ 4 per job-minute budget. */
  requests: number;
  elapsedMs: number;
  cancelled: boolean;
  /** The job stayed NotResponding or Paused past stalledWaitMs; it was left running in Azure. */
  stalled?: boolean;
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export async function followJob(ws: Workspace, name: string, opts: FollowOptions): Promise<FollowResult> {
  const clock = opts.clock ?? { now: () => Date.now() };
  const sleep = opts.sleep ?? ((ms: number) => realSleep(ms, opts.signal));
  const initial = opts.initialIntervalMs ?? 10_000;
  const max = opts.maxIntervalMs ?? 60_000;
  const started = clock.now();
  let interval = initial;
  let requests = 0;
  let last: string | undefined;
  let cancelSent = false;
  let cancelDeadline = Infinity;
  const stalledWait = opts.stalledWaitMs ?? 30 * 60_000;
  let stalledSince: number | undefined;
  for (;;) {
    if (opts.signal?.aborted && !cancelSent) {
      opts.log.warning(`workflow cancelled: cancelling Azure ML job ${name}`);
      requests++;
      await ws.cancelJob(name);
      cancelSent = true;
      cancelDeadline = clock.now() + (opts.cancelWaitMs ?? 300_000);
      interval = initial;
    }
    let job: JobInfo | undefined;
    let retryAfterMs = 0;
    try {
      requests++;
      job = await ws.getJob(name);
    } catch (err) {
      // The pipeline already retried with backoff; a throttled or failing poll is not the job's failure: wait longer.
      const e = armError(err);
      if (e.status !== 429 && !(e.status !== undefined && e.status >= 500)) throw err;
      retryAfterMs = Math.max(interval * 2, 30_000);
      opts.log.warning(`polling job ${name}: ${e.status} ${e.message}; trying again in ${fmt(retryAfterMs)}`);
    }
    if (job === undefined && retryAfterMs === 0)
      throw new Error(`Azure ML job ${name} disappeared while it was being followed`);
    if (job) {
      if (job.status !== last) {
        opts.log.info(
          `job ${name}: ${last ? `${last} → ` : ''}${job.status} (${fmt(clock.now() - started)})${last === undefined && job.studioUrl ? ` ${job.studioUrl}` : ''}`,
        );
        last = job.status;
      }
      if (TERMINAL_JOB_STATES.includes(job.status))
        return { job, requests, elapsedMs: clock.now() - started, cancelled: cancelSent };
      if (!STALLED_JOB_STATES.includes(job.status)) stalledSince = undefined;
      else if (stalledSince === undefined) {
        stalledSince = clock.now();
        opts.log.warning(
          job.status === 'Paused'
            ? `job ${name} is Paused; waiting up to ${fmt(stalledWait)} for it to be resumed`
            : `job ${name} is NotResponding (its run stopped reporting); Azure ML runs can recover from this, so waiting up to ${fmt(stalledWait)} for it to come back`,
        );
      } else if (!cancelSent && clock.now() - stalledSince >= stalledWait) {
        opts.log.warning(
          `job ${name} has been ${job.status} for ${fmt(clock.now() - stalledSince)}; no longer following it. It was not cancelled and may still hold its compute nodes: look at it in Azure ML studio${job.studioUrl ? ` (${job.studioUrl})` : ''}, cancel it with \`az ml job cancel -n ${name}\` if it does not recover, or run train again to follow it again`,
        );
        return { job, requests, elapsedMs: clock.now() - started, cancelled: false, stalled: true };
      }
      if (cancelSent && clock.now() >= cancelDeadline) {
        opts.log.warning(
          `job ${name} is still ${job.status} ${fmt(opts.cancelWaitMs ?? 300_000)} after the cancel request; Azure will finish cancelling it`,
        );
        return { job, requests, elapsedMs: clock.now() - started, cancelled: true };
      }
    }
    await sleep(Math.max(interval, retryAfterMs));
    interval = Math.min(max, Math.round(interval * 1.5));
  }
}

/** Cancels every unfinished job a workflow run submitted (the `if: cancelled()` step): jobs carry the run's tag. */
export async function cancelRunJobs(ws: Workspace, runTag: string, runId: string, log: Log): Promise<string[]> {
  const jobs = await ws.listJobs({ tag: runTag });
  const mine = jobs.filter((j) => j.tags[runTag] === runId && !TERMINAL_JOB_STATES.includes(j.status));
  for (const j of mine) {
    log.info(`cancelling Azure ML job ${j.name} (${j.status})`);
    await ws.cancelJob(j.name);
  }
  if (mine.length === 0) log.info('no unfinished Azure ML job from this run to cancel');
  return mine.map((j) => j.name);
}
