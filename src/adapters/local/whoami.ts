/**
 * Where a promotion runs and who runs it, from the runner's environment or git: the branch (production is written
 * only from promote.branch), the commit, the actor and the run, for the history and the evidence tags.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface RunContext {
  /** The branch name (`main`), or a description when there is none: `refs/pull/7/merge`, `(detached HEAD)`. */
  branch: string;
  /** Where `branch` came from, for the report. */
  branchSource: 'GITHUB_REF' | 'git' | 'none';
  sha: string;
  by: string;
  /** The workflow run URL, or `local`. */
  run: string;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The commit being built: GITHUB_SHA in a workflow, else the checkout's HEAD, else `unknown` (not a git checkout). */
export function commitSha(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_SHA ?? git(root, ['rev-parse', 'HEAD']) ?? 'unknown';
}

/**
 * GITHUB_REF when set (an action, or the CLI inside a workflow: the checkout there is a detached HEAD); otherwise
 * the current branch of the git checkout that holds `root`.
 */
export function runContext(root: string, env: NodeJS.ProcessEnv = process.env): RunContext {
  let branch: string;
  let branchSource: RunContext['branchSource'];
  if (env.GITHUB_REF) {
    branch = env.GITHUB_REF.startsWith('refs/heads/') ? env.GITHUB_REF.slice('refs/heads/'.length) : env.GITHUB_REF;
    branchSource = 'GITHUB_REF';
  } else {
    const b = git(root, ['rev-parse', '--abbrev-ref', 'HEAD']);
    branch = b === undefined ? '(not a git checkout)' : b === 'HEAD' ? '(detached HEAD)' : b;
    branchSource = b === undefined ? 'none' : 'git';
  }
  const sha = commitSha(root, env);
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  const by = env.GITHUB_ACTOR ?? git(root, ['config', 'user.email']) ?? user;
  const run =
    env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : 'local';
  return { branch, branchSource, sha, by, run };
}
