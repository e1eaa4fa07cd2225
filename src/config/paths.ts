/**
 * One resolver for every path a project file names (`path:`, `local:`, `conda_file`, `build.path`, a folder
 * `model.hub`, a job's `code:`, `--out`). A pull request controls these values and the links in its checkout, so a
 * path is used only when its real location lies inside the project root: the git top level that holds tfaml.yml,
 * else tfaml.yml's folder. A path that leaves it, by `..` or through a symbolic link, is refused at the file and line
 * that named it, before anything under it is read. Data folders and `.tfaml/` must not be links at all: their
 * contents are hashed, cached and uploaded.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, type SourceLocation } from '../core/errors.js';

/** The boundary: the nearest folder at or above `configDir` that holds `.git`, else `configDir` itself. */
export function projectRoot(configDir: string): string {
  let dir = path.resolve(configDir);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(configDir);
    dir = up;
  }
}

const inside = (root: string, abs: string) => {
  const rel = path.relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export interface ContainOptions {
  /** What the path is, for the message: "environments[0].path", "conda_file". */
  what: string;
  /** The path as the user wrote it. */
  written: string;
  at?: SourceLocation;
  /** Refuse a symbolic link at the path itself (data roots, .tfaml), even one that stays inside. */
  noLink?: boolean;
  /** Only the written path, no links: for files read from git (a base ref), where no link is followed. */
  lexical?: boolean;
}

/**
 * The problem with `abs` as a path inside `root`, or undefined when it is fine (or does not exist yet: whether it
 * exists is the caller's question). Checks the written path, then every link on the way to it.
 */
export function containmentProblem(root: string, abs: string, o: ContainOptions): ConfigurationError | undefined {
  const shown = JSON.stringify(o.written);
  if (!inside(root, abs))
    return new ConfigurationError(
      `${o.what} ${shown} leaves the project folder (${root}); write a path inside it`,
      o.at,
    );
  if (o.lexical) return undefined;
  if (o.noLink && isLink(abs))
    return new ConfigurationError(
      `${o.what} ${shown} is a symbolic link; tfaml hashes and uploads what is under it, so it must be a real folder inside the project (copy the data in, or point at the real folder)`,
      o.at,
    );
  const real = realOrNearest(abs);
  const realRoot = safeRealpath(root);
  if (real !== undefined && realRoot !== undefined && !inside(realRoot, real))
    return new ConfigurationError(
      `${o.what} ${shown} leads outside the project folder through a symbolic link (it resolves to ${real}); point it at a file or folder inside the project`,
      o.at,
    );
  return undefined;
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The real path of `abs`, or of its deepest existing ancestor joined with the rest (a path not written yet). */
function realOrNearest(abs: string): string | undefined {
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    const real = safeRealpath(head);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    const up = path.dirname(head);
    if (up === head) return undefined;
    rest.push(path.basename(head));
    head = up;
  }
}
