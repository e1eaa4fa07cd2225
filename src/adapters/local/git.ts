/** The base ref through the git CLI: `git show <ref>:<path>` for files, `git diff --quiet` for folders. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { BaseRef } from '../../ports.js';

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  try {
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, out, err: '' };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: string; status?: number };
    if (x.code === 'ENOENT') throw new UsageError('--base needs git, and git is not on PATH; install git or leave out --base');
    return { ok: false, out: x.stdout ?? '', err: (x.stderr ?? '').trim() };
  }
}

/** Open `ref` in the repository that holds `projectRoot`. A ref git does not know is a UsageError (exit 2). */
export function openBaseRef(projectRoot: string, ref: string): BaseRef {
  const top = git(projectRoot, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UsageError(`--base ${ref}: ${projectRoot} is not inside a git repository, so there is nothing to compare with; run validate without --base, or from a git checkout`);
  const commit = git(projectRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok) {
    throw new UsageError(`--base ${ref} is not a commit in this repository; pass a branch, tag or SHA that exists (in a workflow, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`);
  }
  const sha = commit.out.trim();
  const toplevel = top.out.trim();
  const prefix = path.relative(toplevel, projectRoot).split(path.sep).join('/');
  const inRepo = (p: string) => (prefix ? `${prefix}/${p}` : p);
  return {
    name: ref,
    readFile(p) {
      const r = git(toplevel, ['show', `${sha}:${inRepo(p)}`]);
      return r.ok ? r.out : undefined;
    },
    changedSince(p) {
      // Working tree (tracked and untracked) against the base commit.
      const diff = git(toplevel, ['diff', '--quiet', sha, '--', inRepo(p)]);
      if (!diff.ok) return true;
      const untracked = git(toplevel, ['ls-files', '--others', '--exclude-standard', '--', inRepo(p)]);
      return untracked.out.trim() !== '';
    },
  };
}
