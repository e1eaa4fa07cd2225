/** The base ref through the git CLI: `git show <ref>:<path>` for files, `git diff --quiet` for folders. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { childProcess } from '../../core/builtins.js';
import { UsageError } from '../../core/errors.js';
import { diskFiles, type ProjectFiles } from '../../config/files.js';
import type { BaseRef } from '../../core/ports.js';

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  try {
    const out = childProcess().execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return { ok: true, out, err: '' };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: string; status?: number };
    if (x.code === 'ENOENT')
      throw new UsageError('--base needs git, and git is not on PATH; install git or leave out --base');
    return { ok: false, out: x.stdout ?? '', err: (x.stderr ?? '').trim() };
  }
}

/** Open `ref` in the repository that holds `projectRoot`. A ref git does not know is a UsageError (exit 2). */
export function openBaseRef(projectRoot: string, ref: string): BaseRef {
  const { sha, toplevel, inRepo } = resolveBase(projectRoot, ref);
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

/**
 * The project as it was at `ref`, as ProjectFiles the config loaders read through (cost's diff loads the base's
 * tfaml.yml and Azure ML YAML with the same loaders). Files git ignores (a local data copy, say) are not in any
 * commit but survive a checkout of the base, so they are read from the working tree, as a checkout would leave them.
 */
export function openBaseFiles(projectRoot: string, ref: string): ProjectFiles & { name: string } {
  const { sha, toplevel, inRepo } = resolveBase(projectRoot, ref);
  const rel = (abs: string) => path.relative(projectRoot, abs).split(path.sep).join('/');
  const inside = (abs: string) => !rel(abs).startsWith('../') && !path.isAbsolute(rel(abs));
  const kind = (abs: string) => {
    const r = git(toplevel, ['cat-file', '-t', `${sha}:${inRepo(rel(abs)) || '.'}`]);
    return r.ok ? r.out.trim() : undefined;
  };
  const ignored = (abs: string) => inside(abs) && git(toplevel, ['check-ignore', '-q', '--', inRepo(rel(abs))]).ok;
  return {
    name: ref,
    readText(abs) {
      if (inside(abs)) {
        const k = kind(abs);
        if (k === 'blob') return git(toplevel, ['show', `${sha}:${inRepo(rel(abs))}`]).out;
        if (k === 'tree') throw Object.assign(new Error(`${rel(abs)} is a folder at ${ref}`), { code: 'EISDIR' });
        if (ignored(abs)) return diskFiles.readText(abs);
      }
      throw Object.assign(new Error(`${rel(abs)} does not exist at ${ref}`), { code: 'ENOENT' });
    },
    exists: (abs) => inside(abs) && (kind(abs) !== undefined || (ignored(abs) && diskFiles.exists(abs))),
    isDirectory: (abs) => inside(abs) && (kind(abs) === 'tree' || (ignored(abs) && diskFiles.isDirectory(abs))),
  };
}

function resolveBase(
  projectRoot: string,
  ref: string,
): { sha: string; toplevel: string; inRepo: (p: string) => string } {
  const top = git(projectRoot, ['rev-parse', '--show-toplevel']);
  if (!top.ok)
    throw new UsageError(
      `--base ${ref}: ${projectRoot} is not inside a git repository, so there is nothing to compare with; run validate without --base, or from a git checkout`,
    );
  const commit = git(projectRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok) {
    throw new UsageError(
      `--base ${ref} is not a commit in this repository; pass a branch, tag or SHA that exists (in a workflow, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin ${ref.replace(/^(refs\/remotes\/)?origin\//, '')})`,
    );
  }
  const sha = commit.out.trim();
  const toplevel = top.out.trim();
  const prefix = path.relative(toplevel, projectRoot).split(path.sep).join('/');
  const inRepo = (p: string) => (prefix ? (p ? `${prefix}/${p}` : prefix) : p);
  return { sha, toplevel, inRepo };
}

/**
 * Files git tracks under the project-relative folder `rel` (project-relative paths, forward slashes); empty outside
 * a repository, without git, or when the folder is not in the working tree (validate's start-up pays for no git
 * process in the common case).
 */
export function trackedFiles(projectRoot: string, rel: string): string[] {
  if (!existsSync(path.join(projectRoot, rel))) return [];
  if (!indexMayName(projectRoot, `${rel}/`)) return [];
  try {
    // Without --full-name, ls-files prints paths relative to its working directory: the project root.
    const out = childProcess().execFileSync('git', ['ls-files', '-z', '--', rel], {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.split('\0').filter(Boolean).sort();
  } catch {
    return [];
  }
}

/**
 * Whether git ignores new files under the project-relative folder `rel` (by .gitignore, .git/info/exclude or the
 * global excludes); undefined outside a repository or without git. One git process, run only when `rel` exists.
 */
export function ignoredByGit(projectRoot: string, rel: string): boolean | undefined {
  if (!existsSync(path.join(projectRoot, rel))) return undefined;
  if (plainlyIgnored(projectRoot, rel)) return true;
  try {
    // A name that is never tracked: check-ignore answers for the rules alone (exit 0 ignored, 1 not, 128 no repo).
    childProcess().execFileSync('git', ['check-ignore', '-q', '--no-index', '--', `${rel}/tfaml-ignore-probe`], {
      cwd: projectRoot,
      stdio: 'ignore',
    });
    return true;
  } catch (e) {
    return (e as { status?: number }).status === 1 ? false : undefined;
  }
}

/**
 * Whether a .gitignore between the project root and the top of its repository ignores the folder `rel` with a line
 * of its own, as `tfaml init` writes it (`.tfaml/`, `/.tfaml`, or from a .gitignore higher up `examples/.tfaml/`), and
 * no .gitignore on the way negates anything: git then ignores the folder and all in it whatever info/exclude and the
 * global excludes say (they rank below every .gitignore, and nothing inside an ignored folder can be re-included),
 * so no git process is needed. Anything less plain is left to git; nothing outside the repository is read.
 */
function plainlyIgnored(projectRoot: string, rel: string): boolean {
  const top = repositoryTop(projectRoot);
  if (top === undefined) return false;
  let dir = path.resolve(projectRoot);
  let below = rel; // `rel` as a path from `dir`
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      // Trailing spaces are dropped unless escaped, as git does.
      const lines = text.split('\n').map((l) => l.replace(/\r$/, '').replace(/(?<!\\) +$/, ''));
      if (lines.some((l) => l.startsWith('!'))) return false;
      // A pattern without an inner slash matches at any depth; one with a slash is relative to its .gitignore.
      const forms = [
        `/${below}`,
        ...(below.includes('/') ? [below] : []),
        ...(rel.includes('/') ? [] : [rel, `**/${rel}`]),
      ];
      const names = new Set(forms.flatMap((n) => [n, `${n}/`]));
      if (lines.some((l) => names.has(l))) return true;
    }
    if (dir === top) return false;
    below = `${path.basename(dir)}/${below}`;
    dir = path.dirname(dir);
  }
}

/** The folder holding `.git` (a folder, or a worktree's file) nearest above `projectRoot`, if any. */
function repositoryTop(projectRoot: string): string | undefined {
  let dir = path.resolve(projectRoot);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Whether the repository's index may list a path containing `fragment`: git stores each tracked path as plain bytes
 * in .git/index, so when the fragment is absent nothing under it is tracked and no git process is needed. Unsure
 * (no .git folder found, a worktree's .git file, an unreadable index): true.
 */
function indexMayName(projectRoot: string, fragment: string): boolean {
  const top = repositoryTop(projectRoot);
  if (top === undefined) return true;
  try {
    return readFileSync(path.join(top, '.git', 'index')).includes(fragment);
  } catch {
    return true;
  }
}

/** The repository's default branch as the clone knows it (origin/HEAD), else the branch checked out; undefined outside git. */
export function defaultBranch(dir: string): string | undefined {
  const run = (args: string[]) => {
    try {
      return childProcess()
        .execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim();
    } catch {
      return undefined;
    }
  };
  const origin = run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (origin) return origin.replace(/^origin\//, '');
  const current = run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return current || undefined;
}
