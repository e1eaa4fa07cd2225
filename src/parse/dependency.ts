/**
 * A dependency as written in a conda environment file, a requirements file or a Dockerfile's install command
 * (parse/conda.ts, parse/pip.ts, parse/dockerfile-installs.ts): what it names, how its version part constrains, and
 * where it was written. Whether that is pinned enough is policy (checks/conda.ts).
 */

export type Manager = 'conda' | 'pip';
export type DependencyKind = 'package' | 'vcs' | 'url' | 'local';
/** How the version part constrains: nothing, one version, a series (conda `=x.y`, `x.y.*`), or a range. */
export type Constraint = 'none' | 'exact' | 'fuzzy' | 'range';

export interface DependencyLocation {
  /** Relative to the project root, forward slashes. */
  file: string;
  line: number;
  column?: number;
}

export interface Dependency {
  manager: Manager;
  kind: DependencyKind;
  /** The requirement as written (trimmed, without a trailing comment or per-requirement options). */
  text: string;
  /** The package name as written; empty when a URL or path does not say (no `#egg=`). */
  name: string;
  /** The name normalised for comparison: lower case, runs of `-_.` as `-`. */
  key: string;
  /** The version part as written, empty when there is none. */
  spec: string;
  constraint: Constraint;
  /** The single version an exact or fuzzy constraint names, without a trailing `*` / `.*`. */
  version?: string;
  extras: string[];
  /** A pip environment marker, without the `;`. */
  marker?: string;
  /** A conda channel written as `channel::name`. */
  channel?: string;
  /** A conda build string. */
  build?: string;
  /** For url, vcs and local kinds: the URL or path. */
  url?: string;
  editable?: boolean;
  /** A pip `--hash=` option or a `#sha256=` fragment was given. */
  hashed?: boolean;
  location: DependencyLocation;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A version without its trailing `*` / `.*`, and whether it had one. */
export function stripWildcard(v: string): { version: string; wildcard: boolean } {
  const m = v.match(/^(.*?)(\.?\*)$/);
  return m ? { version: m[1]!, wildcard: true } : { version: v, wildcard: false };
}
