/**
 * train with `target: azure`, end to end: what src/commands/train.ts calls (lazily imported, so a local run never
 * loads @azure/*). Wiring only: the steps are src/train/azure over the Workspace port; this file opens the real
 * workspace (which hands out the datastore uploader and reads MLflow) and the follower, and cancels on workflow cancel.
 */
import type { Project } from '../../config/project.js';
import { ConfigurationError } from '../../core/errors.js';
import type { Clock, Log, Workspace } from '../../core/ports.js';
import { RUN_TAG } from '../../core/tags.js';
import type { Resolved } from '../../lock/resolve.js';
import { trainJob } from '../../train/azure/job.js';
import { trainOnWorkspace, type AzureTrainResult, type WorkspaceTrainOptions } from '../../train/azure/train.js';
import { cancelRunJobs, followJob } from './follow.js';
import { openWorkspace, type OpenOptions } from './index.js';
import type { AzureWorkspace } from './workspace.js';

export type { AzureTrainResult } from '../../train/azure/train.js';

export interface AzureTrainOptions extends OpenOptions {
  log: Log;
  /** The commit trained (TAGS.gitSha) and the hash of tfaml.yml (TAGS.configHash). */
  gitSha: string;
  configHash: string;
  /** GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT, tagged on the job so the `if: cancelled()` step finds it. */
  runId?: string;
  /** Fires when the workflow is cancelled (SIGINT/SIGTERM): the job is cancelled in Azure. */
  signal?: AbortSignal;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Poll intervals (defaults 10 s growing to 60 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /** Submit even when the workspace has a model with this training fingerprint. */
  force?: boolean;
  costTags?: WorkspaceTrainOptions['costTags'];
  /** Use this workspace instead of opening the one tfaml.yml names (tests). */
  workspace?: AzureWorkspace;
}

function workspaceOf(project: Project, opts: AzureTrainOptions): AzureWorkspace {
  if (opts.workspace) return opts.workspace;
  const ref = project.config.workspace;
  if (!ref)
    throw new ConfigurationError(
      'train.target is azure, so tfaml.yml needs `workspace:` (subscription-id, resource-group, name)',
      project.config.doc.locate(['train', 'target']),
    );
  return openWorkspace(ref, opts);
}

export async function trainOnAzure(
  project: Project,
  resolved: Resolved,
  opts: AzureTrainOptions,
): Promise<AzureTrainResult> {
  const { log } = opts;
  // A tfaml.yml that names no usable job is refused before any credential is made or workspace opened.
  trainJob(project);
  const ws = workspaceOf(project, opts);
  ws.log ??= log;
  ws.retry ??= opts.retry;
  return trainOnWorkspace(ws, project, resolved, {
    log,
    gitSha: opts.gitSha,
    configHash: opts.configHash,
    runId: opts.runId,
    force: opts.force,
    costTags: opts.costTags,
    follow: (w, name) =>
      followJob(w, name, {
        log,
        clock: opts.clock,
        sleep: opts.sleep,
        signal: opts.signal,
        initialIntervalMs: opts.initialIntervalMs,
        maxIntervalMs: opts.maxIntervalMs,
      }),
  });
}

/** The `if: cancelled()` step: cancel every unfinished job this workflow run submitted. */
export async function cancelAzureRun(
  project: Project,
  runId: string,
  opts: Omit<AzureTrainOptions, 'gitSha' | 'configHash'>,
): Promise<string[]> {
  const ws: Workspace = opts.workspace ?? openWorkspace(project.config.workspace!, opts);
  return cancelRunJobs(ws, RUN_TAG, runId, opts.log);
}
