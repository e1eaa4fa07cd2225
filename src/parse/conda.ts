/**
 * Conda environment files, parsed into dependencies that each know where they were written (the `pip:` list and
 * its `-r` files through parse/pip.ts).
 *
 * Conda match specs: `numpy`, `numpy=1.26.4` (conda's fuzzy `=`), `numpy==1.26.4`, `numpy=1.26.4=py310h…` (build
 * string), `numpy 1.26.4 py310h…` (space form; a bare version there is exact), `conda-forge::numpy=1.26.4`,
 * `numpy[version='1.26.4']`, `numpy>=1.2`, `numpy 1.26.*`.
 */
import type { SourceDoc } from '../config/source.js';
import { ConfigurationError } from '../core/errors.js';
import {
  normalizeName,
  stripWildcard,
  type Constraint,
  type Dependency,
  type DependencyLocation,
} from './dependency.js';
import { parsePipLine, projectRelative, readRequirements, type RequirementsContext } from './pip.js';

/** Judge the version part of a conda match spec (after the name). */
function condaVersion(v: string, op: '' | '=' | '=='): { constraint: Constraint; version?: string } {
  if (v === '') return { constraint: 'none' };
  if (/[<>!~,|]/.test(v) || v === '*') return { constraint: 'range' };
  const { version, wildcard } = stripWildcard(v);
  if (wildcard) return { constraint: 'fuzzy', version };
  // `=x.y.z` is conda's fuzzy match x.y.z*; a bare version in the space form, and `==`, are exact.
  return { constraint: op === '=' ? 'fuzzy' : 'exact', version };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Conda match specs                                                                                              */

export function parseCondaSpec(written: string, location: DependencyLocation): Dependency {
  const text = written.trim();
  let s = text;
  let channel: string | undefined;
  const cc = s.indexOf('::');
  if (cc >= 0) {
    channel = s.slice(0, cc);
    s = s.slice(cc + 2);
  }
  // Bracket form: name[version='1.2.3', build=py310*]
  let bracket: Record<string, string> = {};
  const b = s.match(/^([^[]*)\[(.*)\]\s*$/);
  if (b) {
    s = b[1]!;
    bracket = Object.fromEntries(
      [...b[2]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^,\s]*))/g)].map((m) => [
        m[1]!.toLowerCase(),
        m[2] ?? m[3] ?? m[4] ?? '',
      ]),
    );
  }
  const m = s.match(/^([A-Za-z0-9_][A-Za-z0-9_.+-]*?)((?:\s|[=<>!~]).*)?$/);
  const name = m?.[1] ?? s;
  const rest = (m?.[2] ?? '').trimEnd();
  let spec = rest.trim();
  let build = bracket.build;
  let judged: { constraint: Constraint; version?: string };
  if (bracket.version !== undefined && rest.trim() === '') {
    spec = bracket.version;
    const v = bracket.version.trim();
    judged = v.startsWith('==')
      ? condaVersion(v.slice(2), '==')
      : v.startsWith('=')
        ? condaVersion(v.slice(1), '=')
        : condaVersion(v, '');
  } else if (rest === '') {
    judged = { constraint: 'none' };
  } else if (/^\s/.test(rest)) {
    const [v = '', bs] = rest.trim().split(/\s+/);
    if (bs !== undefined) build = bs;
    judged = v.startsWith('==')
      ? condaVersion(v.slice(2), '==')
      : v.startsWith('=')
        ? condaVersion(v.slice(1), '=')
        : condaVersion(v, '');
  } else if (rest.startsWith('==')) {
    const [v = '', bs] = rest.slice(2).split('=');
    if (bs !== undefined) build = bs;
    judged = condaVersion(v.trim(), '==');
  } else if (rest.startsWith('=') && !/^=[<>]/.test(rest)) {
    const [v = '', bs] = rest.slice(1).split('=');
    if (bs !== undefined) build = bs;
    judged = condaVersion(v.trim(), '=');
  } else {
    judged = { constraint: 'range' };
  }
  return {
    manager: 'conda',
    kind: 'package',
    text,
    name,
    key: normalizeName(name),
    spec,
    constraint: judged.constraint,
    version: judged.version,
    extras: [],
    channel,
    build,
    location,
  };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Conda environment files                                                                                        */

export interface CondaEnv {
  file: string;
  name?: string;
  channels: string[];
  /** Conda dependencies, then pip ones (including those of `-r` files), in file order. */
  dependencies: Dependency[];
  /** The `-r` lines of the pip list: the file they name (project-relative) and where the line is. */
  includes: { file: string; location: DependencyLocation; text: string }[];
}

/**
 * The dependencies of a parsed conda environment file. `root` is the absolute project root (`project.config.root`);
 * `-r` files are read relative to the conda file's folder. A missing `-r` file is a ConfigurationError at its line
 * (all of them together).
 */
export function parseConda(doc: SourceDoc, root: string, ctx?: RequirementsContext): CondaEnv {
  const data = doc.data as Record<string, unknown> | null;
  const own: RequirementsContext = ctx ?? { root, errors: [] };
  const env: CondaEnv = { file: doc.file, channels: [], dependencies: [], includes: [] };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return env;
  if (typeof data.name === 'string') env.name = data.name;
  if (Array.isArray(data.channels)) env.channels = data.channels.filter((c): c is string => typeof c === 'string');
  const deps = data.dependencies;
  if (!Array.isArray(deps)) return env;
  const at = (p: (string | number)[]): DependencyLocation => doc.place(p);
  deps.forEach((d: unknown, i) => {
    if (typeof d === 'string' || typeof d === 'number') {
      env.dependencies.push(parseCondaSpec(String(d), at(['dependencies', i])));
    } else if (d && typeof d === 'object' && !Array.isArray(d) && Array.isArray((d as Record<string, unknown>).pip)) {
      ((d as Record<string, unknown>).pip as unknown[]).forEach((p, j) => {
        if (typeof p !== 'string' && typeof p !== 'number') return;
        const location = at(['dependencies', i, 'pip', j]);
        const parsed = parsePipLine(String(p), location);
        if (parsed.type === 'dependency') env.dependencies.push(parsed.dependency);
        else if (parsed.type === 'include' && !parsed.constraint) {
          const file = projectRelative(doc.file, parsed.file);
          env.includes.push({ file, location, text: String(p).trim() });
          env.dependencies.push(...readRequirements(file, location, own));
        }
      });
    }
  });
  if (!ctx && own.errors.length > 0) throw ConfigurationError.all(own.errors);
  return env;
}
